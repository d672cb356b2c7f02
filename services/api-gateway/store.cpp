#include "store.h"

#include <algorithm>
#include <variant>

#include "schema.h"

namespace wdp::gateway {

struct Store::Query {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> params;
};

Store::Store(const std::string& path) : db_(path) { db_.migrate(schema_migrations()); }

Store::Query Store::build_event_query(const EventFilter& f, bool explain) const {
  Query q;
  q.sql = explain ? "EXPLAIN QUERY PLAN " : "";
  q.sql += "SELECT id, time_ns, body FROM events WHERE time_ns >= ?";
  q.params.emplace_back(f.since_ns);
  if (f.until_ns > 0) {
    q.sql += " AND time_ns < ?";
    q.params.emplace_back(f.until_ns);
  }
  if (f.after) {
    q.sql += " AND (time_ns, id) > (?, ?)";
    q.params.emplace_back(f.after->time_ns);
    q.params.emplace_back(f.after->id);
  }
  if (!f.node_ids.empty()) {
    q.sql += " AND node_id IN (";
    for (std::size_t i = 0; i < f.node_ids.size(); ++i) {
      q.sql += i ? ",?" : "?";
      q.params.emplace_back(f.node_ids[i]);
    }
    q.sql += ")";
  }
  if (!f.kinds.empty()) {
    q.sql += " AND kind IN (";
    for (std::size_t i = 0; i < f.kinds.size(); ++i) {
      q.sql += i ? ",?" : "?";
      q.params.emplace_back(static_cast<std::int64_t>(f.kinds[i]));
    }
    q.sql += ")";
  }
  // One extra row tells whether another page exists.
  q.sql += " ORDER BY time_ns, id LIMIT ?";
  q.params.emplace_back(static_cast<std::int64_t>(f.limit) + 1);
  return q;
}

namespace {
void bind_all(sql::Stmt& s, const auto& params) {
  int i = 1;
  for (const auto& p : params) {
    std::visit([&](const auto& v) { s.bind(i, v); }, p);
    ++i;
  }
}
}  // namespace

v1::ListEventsResponse Store::list_events(const EventFilter& f) {
  const auto q = build_event_query(f, false);
  v1::ListEventsResponse out;
  std::lock_guard lock(mutex_);
  sql::Stmt s(db_, q.sql);
  bind_all(s, q.params);
  while (s.step()) {
    if (static_cast<std::uint32_t>(out.events_size()) == f.limit) {
      const auto& last = out.events(out.events_size() - 1);
      out.set_next_page_token(encode_page_token({last.time_ns(), last.id()}));
      break;
    }
    auto* e = out.add_events();
    const auto body = s.text(2);
    e->ParseFromArray(body.data(), static_cast<int>(body.size()));
    e->set_id(s.i64(0));
    e->set_time_ns(s.i64(1));
  }
  return out;
}

std::vector<std::string> Store::explain_list_events(const EventFilter& f) {
  const auto q = build_event_query(f, true);
  std::lock_guard lock(mutex_);
  sql::Stmt s(db_, q.sql);
  bind_all(s, q.params);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(3));
  return out;
}

std::vector<v1::Event> Store::events_of_kinds(const std::vector<v1::EventKind>& kinds) {
  std::vector<v1::Event> out;
  std::lock_guard lock(mutex_);
  sql::Stmt s(db_, "SELECT id, time_ns, kind, body FROM events ORDER BY id");
  while (s.step()) {
    const auto kind = static_cast<v1::EventKind>(s.i64(2));
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
    v1::Event e;
    const auto body = s.text(3);
    e.ParseFromArray(body.data(), static_cast<int>(body.size()));
    e.set_id(s.i64(0));
    e.set_time_ns(s.i64(1));
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<v1::NodeStatus> Store::nodes() {
  std::vector<v1::NodeStatus> out;
  std::lock_guard lock(mutex_);
  sql::Stmt s(db_, "SELECT node_id, first_seen_ns, last_seen_ns, frame_rate_hz FROM nodes ORDER BY node_id");
  while (s.step()) {
    v1::NodeStatus n;
    n.set_node_id(s.text(0));
    n.set_first_seen_ns(s.i64(1));
    n.set_last_seen_ns(s.i64(2));
    n.set_frame_rate_hz(s.f64(3));
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<v1::RecordingSession> Store::recordings() {
  std::vector<v1::RecordingSession> out;
  std::lock_guard lock(mutex_);
  sql::Stmt s(db_, "SELECT body FROM recordings ORDER BY started_ns DESC");
  while (s.step()) {
    v1::RecordingSession r;
    const auto body = s.text(0);
    r.ParseFromArray(body.data(), static_cast<int>(body.size()));
    out.push_back(std::move(r));
  }
  return out;
}

void Store::insert_key(const StoredKey& k) {
  std::lock_guard lock(mutex_);
  sql::Stmt s(db_, "INSERT INTO api_keys(key_id, hash, name, admin, created_ns, revoked_ns) VALUES(?,?,?,?,?,?)");
  s.bind(1, k.key.key_id()).bind(2, k.hash).bind(3, k.key.name()).bind(4, std::int64_t{k.key.admin()});
  s.bind(5, k.key.created_ns()).bind(6, k.key.revoked_ns());
  s.step();
}

std::vector<StoredKey> Store::keys() {
  std::vector<StoredKey> out;
  std::lock_guard lock(mutex_);
  sql::Stmt s(db_, "SELECT key_id, hash, name, admin, created_ns, revoked_ns FROM api_keys ORDER BY created_ns");
  while (s.step()) {
    StoredKey k;
    k.key.set_key_id(s.text(0));
    k.hash = s.text(1);
    k.key.set_name(s.text(2));
    k.key.set_admin(s.i64(3) != 0);
    k.key.set_created_ns(s.i64(4));
    k.key.set_revoked_ns(s.i64(5));
    out.push_back(std::move(k));
  }
  return out;
}

bool Store::revoke_key(const std::string& key_id, std::int64_t now_ns) {
  std::lock_guard lock(mutex_);
  sql::Stmt s(db_, "UPDATE api_keys SET revoked_ns = ? WHERE key_id = ? AND revoked_ns = 0");
  s.bind(1, now_ns).bind(2, key_id);
  s.step();
  return db_.changes() > 0;
}

std::int64_t Store::schema_version() {
  std::lock_guard lock(mutex_);
  return db_.user_version();
}

}  // namespace wdp::gateway
