#pragma once
// The gateway database seen from request threads: queries (events with paging, nodes,
// recordings) and the small synchronous writes of key management. Batched hot-path writes go
// through StoreWriter on its own connection. Opening a Store applies the schema migrations.
//
// Thread safety: every method may be called from any thread (one mutex over one connection;
// WAL lets it read while the writer commits).
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "event_query.h"
#include "sqlite_db.h"
#include "wdp/v1/gateway.pb.h"

namespace wdp::gateway {

struct EventFilter {
  std::int64_t since_ns = 0;
  std::int64_t until_ns = 0;  // 0 = no upper bound
  std::optional<PageCursor> after;
  std::uint32_t limit = 100;
  std::vector<std::string> node_ids;
  std::vector<v1::EventKind> kinds;
};

struct StoredKey {
  v1::ApiKey key;
  std::string hash;  // hex SHA-256 of the secret
};

class Store {
 public:
  explicit Store(const std::string& path);  // throws std::runtime_error

  v1::ListEventsResponse list_events(const EventFilter& f);
  // The plan SQLite chooses for list_events (one line per EXPLAIN QUERY PLAN row).
  std::vector<std::string> explain_list_events(const EventFilter& f);
  std::vector<v1::Event> events_of_kinds(const std::vector<v1::EventKind>& kinds);  // oldest first
  std::vector<v1::NodeStatus> nodes();
  std::vector<v1::RecordingSession> recordings();  // newest first

  void insert_key(const StoredKey& k);
  std::vector<StoredKey> keys();
  bool revoke_key(const std::string& key_id, std::int64_t now_ns);  // false if unknown

  std::int64_t schema_version();

 private:
  struct Query;
  Query build_event_query(const EventFilter& f, bool explain) const;

  std::mutex mutex_;
  sql::Db db_;
};

}  // namespace wdp::gateway
