#pragma once
// The recordings directory: sessions, their segment files, rotation, retention, sync policy and
// the SQLite index, behind one synchronous API that the recorder's writer thread drives (and
// tests drive directly, with injected clocks). docs/recording-format.md is the spec.
//
// Opening a store reconciles the index with the files: sessions that were active at a crash are
// re-scanned, their torn tails cut, and closed with their last record's time.
#include <atomic>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "recording_index.h"
#include "segment_writer.h"

namespace wdp::recorder {

struct StoreOptions {
  // Root of sessions/ and index.sqlite; created if missing.
  std::filesystem::path dir = "run/recordings";
  // Rotation: a segment closes at this size or age, whichever comes first.
  std::uint64_t segment_max_bytes = 64ull << 20;
  double segment_max_seconds = 600;
  // Retention over closed segments, oldest first; 0 disables a rule.
  double retention_max_age_s = 7 * 86400.0;
  std::uint64_t retention_max_bytes = 20ull << 30;
  // Only rolling (unnamed) sessions are pruned; named recordings are kept.
  bool retention_keep_named = true;
  double retention_interval_s = 10;
  // fdatasync period: at most this much acknowledged data is lost on power failure. 0 = every tick.
  double fsync_interval_s = 1.0;
  // A failed segment is retried after this long (e.g. disk full).
  double retry_interval_s = 5;
  // Injected so tests control time: wall clock (ids, ages) and monotonic clock (intervals), ns.
  std::function<std::int64_t()> wall_clock;
  std::function<std::int64_t()> mono_clock;
};

// What opening the store found and repaired.
struct RecoveryReport {
  std::uint32_t sessions_closed = 0;  // active at the crash, now STOPPED
  std::uint32_t sessions_added = 0;   // on disk, missing from the index
  std::uint32_t segments_scanned = 0;
  std::uint64_t trimmed_bytes = 0;    // torn tails cut
  std::uint64_t corrupt_bytes = 0;    // damage found in the middle of files (left in place)
  std::uint32_t files_removed = 0;    // segments with no readable header
};

// Read from any thread (metrics); written by the store's thread.
struct StoreCounters {
  std::atomic<std::uint64_t> records{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> synced_records{0};
  std::atomic<std::uint64_t> segments_opened{0};
  std::atomic<std::uint64_t> segments_deleted{0};
  std::atomic<std::uint64_t> write_errors{0};
  std::atomic<std::uint64_t> lost_on_error{0};  // records accepted, then lost to a failed write
};

class RecordingStore {
 public:
  explicit RecordingStore(StoreOptions options);  // throws if the directory or index is unusable
  ~RecordingStore();

  const RecoveryReport& recovery() const { return recovery_; }
  const StoreCounters& counters() const { return counters_; }
  // Called with each fdatasync's duration in seconds.
  void on_sync(std::function<void(double)> observer) { sync_observer_ = std::move(observer); }

  std::expected<SessionRow, std::string> start_session(std::string name, std::map<std::string, std::string> labels,
                                                       std::set<std::string, std::less<>> topics, bool rolling);
  // Empty id = the active session.
  std::expected<SessionRow, std::string> stop_session(const std::string& id);
  // The active session with live counts, if any.
  std::optional<SessionRow> active() const;

  // Buffers a record into the active session's current segment (rotating by size).
  std::expected<void, std::string> append(const RecordView& r);
  // Writes buffered records to the file (no sync).
  std::expected<void, std::string> flush();
  // Time-driven work: rotation by age, sync when due, index refresh, retention.
  std::expected<void, std::string> tick();
  // Stops the active session (clean shutdown).
  void close();

  // Empty while writing works; else why not (the service reports it as DEGRADED).
  const std::string& error() const { return error_; }
  RecordingIndex& index() { return *index_; }
  std::filesystem::path session_dir(const std::string& id) const;

 private:
  void reconcile();
  void rescan_session(SessionRow& s);
  std::expected<void, std::string> open_segment();
  std::expected<void, std::string> close_segment();
  std::expected<void, std::string> sync_now();
  void save_progress();  // active segment + session rows, one transaction
  void apply_retention();
  void fail(std::string why);
  std::string new_session_id() const;

  StoreOptions options_;
  std::unique_ptr<RecordingIndex> index_;
  RecoveryReport recovery_;
  StoreCounters counters_;
  std::function<void(double)> sync_observer_;

  std::optional<SessionRow> active_;  // counts cover its closed segments only
  std::unique_ptr<SegmentWriter> writer_;
  std::uint32_t next_segment_no_ = 1;
  std::int64_t segment_opened_mono_ = 0;
  std::int64_t last_sync_mono_ = 0;
  std::int64_t last_retention_mono_ = 0;
  std::int64_t retry_after_mono_ = 0;
  std::uint64_t synced_base_ = 0;  // synced records of closed segments, for counters_.synced_records
  std::string error_;
};

}  // namespace wdp::recorder
