#pragma once
// Batched writes off the hot path: the bus thread submits events, node sightings and recording
// sessions into a bounded queue; one writer thread commits whatever is queued as one transaction
// and only then hands the committed events (with their ids) to the listener. A client therefore
// never sees an event that a kill -9 could take back. Also applies the retention policy.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "wdp/v1/gateway.pb.h"

namespace wdp::gateway {

struct StoreWriterOptions {
  std::string path;
  std::int64_t retention_ns = 30LL * 24 * 3600 * 1'000'000'000;  // events older than this are deleted
  std::chrono::milliseconds retention_interval{60'000};
  std::size_t max_queue = 100'000;  // submissions beyond it are dropped and counted
  std::string instance;             // recorded in the sessions table
};

struct StoreWriterStats {
  std::atomic<std::uint64_t> committed{0};  // events
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> retained_deleted{0};
};

class StoreWriter {
 public:
  using CommitListener = std::function<void(const std::vector<v1::Event>&)>;
  // Opens its own connection (the Store must have migrated the schema) and records a session.
  StoreWriter(StoreWriterOptions options, CommitListener listener);
  ~StoreWriter();  // commits what is queued, closes the session row, joins
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  bool submit(v1::Event event);
  bool submit_node(std::string node_id, std::int64_t time_ns, double frame_rate_hz);
  bool submit_recording(v1::RecordingSession session);
  // Blocks until everything submitted before the call is committed (or failed).
  void flush();
  // Runs retention now (cutoff = now_ns - retention) and waits for it.
  void apply_retention(std::int64_t now_ns);

  std::int64_t session_id() const { return session_id_; }
  const StoreWriterStats& stats() const { return stats_; }
  std::string last_error() const;

 private:
  struct NodeSeen {
    std::string node_id;
    std::int64_t time_ns;
    double rate;
  };
  struct Retention {
    std::int64_t now_ns;
  };
  using Op = std::variant<v1::Event, NodeSeen, v1::RecordingSession, Retention>;
  bool push(Op op);
  void run();

  StoreWriterOptions options_;
  CommitListener listener_;
  StoreWriterStats stats_;
  std::int64_t session_id_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::condition_variable done_cv_;
  std::vector<Op> queue_;
  std::uint64_t submitted_ = 0;
  std::uint64_t completed_ = 0;
  bool stop_ = false;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace wdp::gateway
