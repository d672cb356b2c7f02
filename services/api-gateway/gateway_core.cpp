#include "gateway_core.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "wdp/bus/clock.h"
#include "wdp/bus/topics.h"

namespace wdp::gateway {

GatewayCore::GatewayCore(CoreOptions options, CommandPublisher publish)
    : options_(std::move(options)),
      publish_(std::move(publish)),
      store_(options_.db_path),
      keys_(store_),
      limiter_(options_.rate_limit_per_s, options_.rate_burst),
      auth_(keys_, limiter_),
      deriver_(options_.vitals_window_ns) {
  // The WiFi-Mat picture survives restarts: replay what was persisted.
  for (const auto& e : store_.events_of_kinds({v1::EVENT_KIND_DISASTER, v1::EVENT_KIND_ZONE, v1::EVENT_KIND_SURVIVOR,
                                               v1::EVENT_KIND_ALERT})) {
    if (e.has_mat()) mat_.apply(e.mat());
  }
  StoreWriterOptions w{.path = options_.db_path, .retention_ns = options_.retention_ns, .instance = options_.instance};
  writer_ = std::make_unique<StoreWriter>(w, [this](const std::vector<v1::Event>& committed) {
    if (event_out_.empty()) return;
    for (const auto& e : committed) event_out_.publish(std::make_shared<const v1::Event>(e));
  });
}

GatewayCore::~GatewayCore() { writer_.reset(); }

void GatewayCore::on_heartbeat(const v1::Heartbeat& hb) { cache_.on_heartbeat(hb); }

void GatewayCore::on_sensing(const v1::SensingUpdate& u, std::int64_t receive_ns) {
  cache_.on_sensing(u);
  const auto& node = u.origin().node_id();
  // Node sightings are persisted at most once a second per node.
  const auto now = std::chrono::steady_clock::now();
  auto& last = node_written_[node];
  if (now - last >= std::chrono::seconds(1)) {
    last = now;
    writer_->submit_node(node, origin_time_ns(u.origin(), receive_ns), u.frame_rate_hz());
  }
  for (auto& e : deriver_.on_sensing(u)) writer_->submit(std::move(e));
  if (!sensing_out_.empty()) sensing_out_.publish(std::make_shared<const v1::SensingUpdate>(u));
}

void GatewayCore::on_pose(const v1::PoseFrame& f) {
  cache_.on_pose(f);
  if (!pose_out_.empty()) pose_out_.publish(std::make_shared<const v1::PoseFrame>(f));
}

void GatewayCore::on_mat(const v1::MatEvent& m, std::int64_t receive_ns) {
  mat_.apply(m);
  writer_->submit(EventDeriver::from_mat(m, receive_ns));
  if (!mat_out_.empty()) mat_out_.publish(std::make_shared<const v1::MatEvent>(m));
}

void GatewayCore::on_mat_result(const v1::MatCommandResult& r) {
  if (mat_sync_id_.empty() || r.command_id() != mat_sync_id_) {
    mat_replies_.deliver(r.command_id(), r);
    return;
  }
  const auto changes = mat_.sync(r.state());
  const auto now = bus::wall_ns();
  for (const auto& m : changes) {
    writer_->submit(EventDeriver::from_mat(m, now));
    if (!mat_out_.empty()) mat_out_.publish(std::make_shared<const v1::MatEvent>(m));
  }
  mat_synced_ = true;
  mat_sync_id_.clear();
  spdlog::info("WiFi-Mat state synchronised with mat-detector: {} item(s), {} changed while we were away", r.state_size(),
               changes.size());
}

void GatewayCore::sync_mat(std::chrono::steady_clock::time_point now) {
  constexpr int kMaxAttempts = 3;
  if (mat_synced_ || mat_sync_attempts_ >= kMaxAttempts || now < mat_sync_next_) return;
  v1::MatCommand c;
  c.set_command_id(next_id("gw-sync"));
  c.set_operator_("api-gateway");
  c.set_sync_state(true);
  ++mat_sync_attempts_;
  mat_sync_next_ = now + options_.command_timeout + std::chrono::seconds(2);
  bool sent;
  {
    std::lock_guard lock(publish_mutex_);
    sent = publish_(bus::topics::mat_control, c);
  }
  if (!sent) {
    mat_sync_attempts_ = kMaxAttempts;
    spdlog::info("mat-detector is not running: its state arrives when it starts");
    return;
  }
  mat_sync_id_ = c.command_id();
}

void GatewayCore::on_recording_status(const v1::RecordingStatus& s) {
  if (!s.session().session_id().empty()) writer_->submit_recording(s.session());
  if (!s.request_id().empty()) recorder_replies_.deliver(s.request_id(), s);
}

v1::ListNodesResponse GatewayCore::nodes() {
  v1::ListNodesResponse r;
  auto live = cache_.live_nodes();
  for (auto& n : store_.nodes()) {
    const auto it = std::find_if(live.begin(), live.end(), [&](const auto& l) { return l.node_id() == n.node_id(); });
    if (it != live.end()) {
      n.set_frame_rate_hz(it->frame_rate_hz());
      n.set_seconds_since_frame(it->seconds_since_frame());
      n.set_online(it->online());
      live.erase(it);
    } else {
      n.set_seconds_since_frame(static_cast<double>(bus::wall_ns() - n.last_seen_ns()) / 1e9);
      n.set_online(false);
    }
    *r.add_nodes() = std::move(n);
  }
  for (auto& l : live) *r.add_nodes() = std::move(l);  // seen, not yet written
  return r;
}

Result<v1::ListEventsResponse> GatewayCore::list_events(const v1::ListEventsRequest& r) {
  EventFilter f;
  f.since_ns = r.since_ns();
  f.until_ns = r.until_ns();
  if (f.since_ns < 0 || f.until_ns < 0) return std::unexpected(ApiError{ErrorCode::kInvalidArgument, "times must be >= 0"});
  if (r.limit() > 1000) return std::unexpected(ApiError{ErrorCode::kInvalidArgument, "limit must be 1..1000"});
  f.limit = r.limit() == 0 ? 100 : r.limit();
  if (!r.page_token().empty()) {
    f.after = decode_page_token(r.page_token());
    if (!f.after) return std::unexpected(ApiError{ErrorCode::kInvalidArgument, "invalid page_token"});
  }
  f.node_ids.assign(r.node_ids().begin(), r.node_ids().end());
  for (const auto k : r.kinds()) f.kinds.push_back(static_cast<v1::EventKind>(k));
  try {
    return store_.list_events(f);
  } catch (const std::exception& ex) {
    return std::unexpected(ApiError{ErrorCode::kInternal, ex.what()});
  }
}

v1::ListRecordingsResponse GatewayCore::recordings() {
  v1::ListRecordingsResponse r;
  for (auto& s : store_.recordings()) *r.add_sessions() = std::move(s);
  return r;
}

std::string GatewayCore::next_id(const char* prefix) {
  return std::string(prefix) + "-" + std::to_string(bus::wall_ns()) + "-" + std::to_string(++id_counter_);
}

Result<v1::RecordingSession> GatewayCore::recorder_call(v1::RecorderCommand c) {
  c.set_request_id(next_id("gw"));
  recorder_replies_.expect(c.request_id());
  bool sent;
  {
    std::lock_guard lock(publish_mutex_);
    sent = publish_(bus::topics::recorder_control, c);
  }
  if (!sent) {
    recorder_replies_.wait(c.request_id(), std::chrono::milliseconds(0));
    return std::unexpected(ApiError{ErrorCode::kUnavailable, "the recorder is not running (nobody subscribes to ctl.recorder)"});
  }
  auto reply = recorder_replies_.wait(c.request_id(), options_.command_timeout);
  if (!reply) return std::unexpected(ApiError{ErrorCode::kTimeout, "the recorder did not answer in time"});
  if (!reply->ok()) return std::unexpected(ApiError{ErrorCode::kRejected, reply->error()});
  writer_->submit_recording(reply->session());
  return reply->session();
}

Result<v1::RecordingSession> GatewayCore::start_recording(const v1::StartRecordingRequest& r) {
  if (r.name().empty()) return std::unexpected(ApiError{ErrorCode::kInvalidArgument, "name is required"});
  v1::RecorderCommand c;
  auto* s = c.mutable_start();
  s->set_name(r.name());
  s->mutable_labels()->insert(r.labels().begin(), r.labels().end());
  for (const auto& t : r.topics()) s->add_topics(t);
  return recorder_call(std::move(c));
}

Result<v1::RecordingSession> GatewayCore::stop_recording(const v1::StopRecordingRequest& r) {
  v1::RecorderCommand c;
  c.mutable_stop()->set_session_id(r.session_id());
  return recorder_call(std::move(c));
}

Result<v1::MatCommandResult> GatewayCore::send_mat_command(v1::MatCommand c, const std::string& operator_name) {
  if (c.action_case() == v1::MatCommand::ACTION_NOT_SET) {
    return std::unexpected(ApiError{ErrorCode::kInvalidArgument, "the command has no action"});
  }
  c.set_command_id(next_id("gw"));
  c.set_operator_(operator_name);
  mat_replies_.expect(c.command_id());
  bool sent;
  {
    std::lock_guard lock(publish_mutex_);
    sent = publish_(bus::topics::mat_control, c);
  }
  if (!sent) {
    mat_replies_.wait(c.command_id(), std::chrono::milliseconds(0));
    return std::unexpected(ApiError{ErrorCode::kUnavailable, "mat-detector is not running (nobody subscribes to ctl.mat)"});
  }
  auto reply = mat_replies_.wait(c.command_id(), options_.command_timeout);
  if (!reply) return std::unexpected(ApiError{ErrorCode::kTimeout, "mat-detector did not answer in time"});
  return *reply;  // ok=false is a valid answer: the client sees why it was refused
}

}  // namespace wdp::gateway
