#pragma once
// Everything the gateway knows and does, independent of HTTP or gRPC: the live cache, the
// database (store + writer), derived events, the WiFi-Mat picture, API keys, fan-outs to live
// clients, and commands to the recorder and mat-detector over the bus. Transports translate
// their requests into calls here and ApiError into their status codes.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "api_keys.h"
#include "authenticator.h"
#include "event_deriver.h"
#include "fanout.h"
#include "mat_state.h"
#include "pending_replies.h"
#include "rate_limiter.h"
#include "state_cache.h"
#include "store.h"
#include "store_writer.h"

namespace google::protobuf {
class MessageLite;
}

namespace wdp::gateway {

enum class ErrorCode { kInvalidArgument, kNotFound, kUnavailable, kTimeout, kRejected, kInternal };
struct ApiError {
  ErrorCode code;
  std::string message;
};
template <class T>
using Result = std::expected<T, ApiError>;

struct CoreOptions {
  std::string db_path = "api-gateway.db";
  std::int64_t retention_ns = 30LL * 24 * 3600 * 1'000'000'000;
  std::int64_t vitals_window_ns = 60'000'000'000;
  std::chrono::milliseconds command_timeout{3000};
  double rate_limit_per_s = 100;
  double rate_burst = 200;
  std::string instance;
};

// Publishes a command on the bus; true when a subscriber took it. Called from request threads.
using CommandPublisher = std::function<bool(std::string_view topic, const google::protobuf::MessageLite& m)>;

class GatewayCore {
 public:
  GatewayCore(CoreOptions options, CommandPublisher publish);
  ~GatewayCore();

  // Bus inputs (the bus thread).
  void on_heartbeat(const v1::Heartbeat& hb);
  void on_sensing(const v1::SensingUpdate& u, std::int64_t receive_ns);
  void on_pose(const v1::PoseFrame& f);
  void on_mat(const v1::MatEvent& m, std::int64_t receive_ns);
  void on_mat_result(const v1::MatCommandResult& r);
  void on_recording_status(const v1::RecordingStatus& s);
  // WiFi-Mat resynchronisation (the bus thread, called every loop): asks mat-detector for its
  // whole state until it answers, so changes made while the gateway was down are not missing.
  // Gives up when nobody listens: mat-detector republishes everything when it starts.
  void sync_mat(std::chrono::steady_clock::time_point now);
  bool mat_synced() const { return mat_synced_; }

  // Queries (any thread).
  v1::GetStatusResponse status() const { return cache_.status(); }
  v1::ListNodesResponse nodes();
  const StateCache& cache() const { return cache_; }
  Result<v1::ListEventsResponse> list_events(const v1::ListEventsRequest& r);
  v1::ListRecordingsResponse recordings();
  const MatState& mat() const { return mat_; }

  // Actions (any thread); they wait at most command_timeout for the answering service.
  Result<v1::RecordingSession> start_recording(const v1::StartRecordingRequest& r);
  Result<v1::RecordingSession> stop_recording(const v1::StopRecordingRequest& r);
  Result<v1::MatCommandResult> send_mat_command(v1::MatCommand c, const std::string& operator_name);

  KeyRing& keys() { return keys_; }
  const Authenticator& auth() const { return auth_; }
  Store& store() { return store_; }
  StoreWriter& writer() { return *writer_; }

  Fanout<v1::SensingUpdate>& sensing_fanout() { return sensing_out_; }
  Fanout<v1::PoseFrame>& pose_fanout() { return pose_out_; }
  Fanout<v1::MatEvent>& mat_fanout() { return mat_out_; }
  Fanout<v1::Event>& event_fanout() { return event_out_; }

 private:
  Result<v1::RecordingSession> recorder_call(v1::RecorderCommand c);
  std::string next_id(const char* prefix);

  CoreOptions options_;
  CommandPublisher publish_;
  std::mutex publish_mutex_;
  std::atomic<std::uint64_t> id_counter_{0};
  StateCache cache_;
  Store store_;
  KeyRing keys_;
  RateLimiter limiter_;
  Authenticator auth_;
  MatState mat_;
  std::string mat_sync_id_;  // bus thread only, like the three below
  int mat_sync_attempts_ = 0;
  std::chrono::steady_clock::time_point mat_sync_next_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  std::atomic<bool> mat_synced_{false};
  EventDeriver deriver_;
  PendingReplies<v1::MatCommandResult> mat_replies_;
  PendingReplies<v1::RecordingStatus> recorder_replies_;
  std::map<std::string, std::chrono::steady_clock::time_point> node_written_;  // bus thread only
  Fanout<v1::SensingUpdate> sensing_out_;
  Fanout<v1::PoseFrame> pose_out_;
  Fanout<v1::MatEvent> mat_out_;
  Fanout<v1::Event> event_out_;
  std::unique_ptr<StoreWriter> writer_;  // last: its thread calls into the fan-outs
};

}  // namespace wdp::gateway
