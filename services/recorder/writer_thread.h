#pragma once
// The recorder's writer thread: owns the RecordingStore, takes records and control commands from
// the bus thread through one bounded queue (so a command lands between exactly the records that
// arrived before and after it), and hands command replies back through an outbox. Disk work,
// fsync included, never runs on the bus thread.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "bounded_queue.h"
#include "recorder_options.h"
#include "recording_store.h"
#include "wdp/bus/bus_header.h"
#include "wdp/metrics/registry.h"
#include "wdp/v1/recorder.pb.h"

namespace wdp::recorder {

// A bus message as received: topic followed by payload in one buffer (one allocation).
struct QueuedRecord {
  std::string bytes;
  std::uint16_t topic_len = 0;
  bus::BusHeader header;
  std::int64_t receive_time_ns = 0;
};

struct QueuedCommand {
  std::string request_id;
  bool start = false;  // else stop
  std::string name;
  std::map<std::string, std::string> labels;
  std::set<std::string, std::less<>> topics;
  std::string session_id;
};

using WriteOp = std::variant<QueuedRecord, QueuedCommand>;

// Instruments the writer updates; owned by the service's metrics registry.
struct WriterMetrics {
  metrics::Counter* records = nullptr;
  metrics::Counter* bytes = nullptr;
  metrics::Counter* synced_records = nullptr;
  metrics::Counter* segments = nullptr;
  metrics::Counter* segments_deleted = nullptr;
  metrics::Counter* write_errors = nullptr;
  metrics::Counter* dropped_write_error = nullptr;
  metrics::Counter* recovered_trimmed_bytes = nullptr;
  metrics::Histogram* fsync_seconds = nullptr;
  metrics::Gauge* queue_depth = nullptr;
  metrics::Gauge* session_active = nullptr;
};

v1::RecordingSession to_proto(const SessionRow& s);

class WriterThread {
 public:
  WriterThread(RecorderOptions options, WriterMetrics metrics);
  ~WriterThread();  // stops the active session and joins
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  // Bus thread. False when the queue is full (the caller counts the drop); `r` is then untouched.
  bool submit(QueuedRecord&& r) { return queue_.try_push(std::move(r)); }
  void submit(QueuedCommand&& c) { queue_.push(std::move(c)); }
  // Replies to commands, and unsolicited updates (empty request_id), since the last call.
  std::vector<v1::RecordingStatus> take_replies();
  // Empty while writing works; else why not.
  std::string error() const;
  bool store_open() const { return store_open_.load(); }

 private:
  void run();
  void handle(QueuedRecord& r);
  void handle(QueuedCommand& c);
  void start_rolling();
  void note_session(const SessionRow* active);
  void reply(const std::string& request_id, const std::expected<SessionRow, std::string>& result);
  void publish_metrics();
  void set_error(std::string e);

  RecorderOptions options_;
  WriterMetrics metrics_;
  BoundedQueue<WriteOp> queue_;
  std::unique_ptr<RecordingStore> store_;  // writer thread only
  bool recording_ = false;                  // writer thread: a session is active
  std::set<std::string, std::less<>> active_topics_;
  std::atomic<bool> store_open_{false};
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<v1::RecordingStatus> replies_;  // guarded by mutex_
  std::string error_;                         // guarded by mutex_
  struct Published {                          // last counter values copied to metrics_
    std::uint64_t records = 0, bytes = 0, synced = 0, segments = 0, deleted = 0, errors = 0, lost = 0;
  } published_;
  std::thread thread_;
};

}  // namespace wdp::recorder
