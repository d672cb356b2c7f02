#include "grpc_service.h"

#include <deque>
#include <mutex>

namespace wdp::gateway {
namespace {

using Ctx = grpc::CallbackServerContext;

grpc::Status authorize(Ctx* ctx, const GatewayCore& core, bool admin, v1::ApiKey* key = nullptr) {
  const auto& md = ctx->client_metadata();
  const auto it = md.find("authorization");
  const std::string_view value = it == md.end() ? std::string_view{} : std::string_view(it->second.data(), it->second.size());
  auto a = core.auth().check(value, {}, admin);
  switch (a.outcome) {
    case AuthOutcome::kOk:
      if (key && a.key) *key = *a.key;
      return grpc::Status::OK;
    case AuthOutcome::kForbidden: return {grpc::StatusCode::PERMISSION_DENIED, a.message};
    case AuthOutcome::kRateLimited: return {grpc::StatusCode::RESOURCE_EXHAUSTED, a.message};
    default: return {grpc::StatusCode::UNAUTHENTICATED, a.message};
  }
}

grpc::Status to_status(const ApiError& e) {
  switch (e.code) {
    case ErrorCode::kInvalidArgument: return {grpc::StatusCode::INVALID_ARGUMENT, e.message};
    case ErrorCode::kNotFound: return {grpc::StatusCode::NOT_FOUND, e.message};
    case ErrorCode::kUnavailable: return {grpc::StatusCode::UNAVAILABLE, e.message};
    case ErrorCode::kTimeout: return {grpc::StatusCode::DEADLINE_EXCEEDED, e.message};
    case ErrorCode::kRejected: return {grpc::StatusCode::FAILED_PRECONDITION, e.message};
    default: return {grpc::StatusCode::INTERNAL, e.message};
  }
}

// Authorizes, then runs `body` (which returns a Status) and finishes the call.
template <class Body>
grpc::ServerUnaryReactor* unary(Ctx* ctx, const GatewayCore& core, bool admin, Body body) {
  auto* reactor = ctx->DefaultReactor();
  v1::ApiKey key;
  auto st = authorize(ctx, core, admin, &key);
  if (st.ok()) {
    try {
      st = body(key);
    } catch (const std::exception& ex) {
      st = grpc::Status(grpc::StatusCode::INTERNAL, ex.what());
    }
  }
  reactor->Finish(st);
  return reactor;
}

bool any_prefix(const google::protobuf::RepeatedPtrField<std::string>& prefixes, const std::string& topic) {
  if (prefixes.empty()) return true;
  for (const auto& p : prefixes) {
    if (topic.starts_with(p)) return true;
  }
  return false;
}

bool node_ok(const v1::StreamRequest& r, const std::string& node) {
  if (r.node_ids().empty()) return true;
  for (const auto& n : r.node_ids()) {
    if (n == node) return true;
  }
  return false;
}

std::string topic_of(const v1::SensingUpdate& u) { return "sensing." + u.origin().node_id(); }
std::string topic_of(const v1::PoseFrame& f) { return "pose." + f.origin().node_id(); }
std::string topic_of(const v1::MatEvent& m) {
  switch (m.payload_case()) {
    case v1::MatEvent::kEvent: return "mat.event";
    case v1::MatEvent::kZone: return "mat.zone";
    case v1::MatEvent::kSurvivor: return "mat.survivor";
    case v1::MatEvent::kAlert: return "mat.alert";
    default: return "mat.";
  }
}
std::string topic_of(const v1::Event& e) {
  std::string kind = v1::EventKind_Name(e.kind()).substr(11);  // drop "EVENT_KIND_"
  for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "event." + kind;
}
std::string node_of(const v1::Event& e) { return e.node_id(); }
template <class M>
std::string node_of(const M& m) {
  return m.origin().node_id();
}

// A server stream fed by a Fanout. Writes one message at a time; while one is in flight, newer
// ones wait in a bounded queue (oldest dropped first).
template <class Msg>
class FanoutStream final : public grpc::ServerWriteReactor<Msg> {
 public:
  FanoutStream(Fanout<Msg>& fanout, v1::StreamRequest request, std::size_t limit, GrpcStreamStats& stats)
      : fanout_(fanout), request_(std::move(request)), limit_(limit), stats_(stats) {
    stats_.streams.fetch_add(1, std::memory_order_relaxed);
    id_ = fanout_.add([this](const typename Fanout<Msg>::Ptr& m) { offer(m); });
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    queue_.pop_front();
    writing_ = false;
    if (!ok) {
      finish_locked(grpc::Status::CANCELLED);
      return;
    }
    stats_.sent.fetch_add(1, std::memory_order_relaxed);
    if (finishing_) {
      finish_locked(status_);
    } else if (!queue_.empty()) {
      start_locked();
    }
  }

  void OnCancel() override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    status_ = grpc::Status::CANCELLED;
    finishing_ = true;
    if (!writing_) finish_locked(status_);
  }

  void OnDone() override {
    fanout_.remove(id_);  // no sink runs after this returns
    stats_.streams.fetch_sub(1, std::memory_order_relaxed);
    delete this;
  }

 private:
  void offer(const typename Fanout<Msg>::Ptr& m) {
    if (!node_ok(request_, node_of(*m)) || !any_prefix(request_.topics(), topic_of(*m))) return;
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (finishing_ || finished_) return;
    queue_.push_back(m);
    if (queue_.size() > limit_) {
      queue_.erase(queue_.begin() + (writing_ ? 1 : 0));
      stats_.dropped.fetch_add(1, std::memory_order_relaxed);
    }
    if (!writing_) start_locked();
  }
  void start_locked() {
    writing_ = true;
    this->StartWrite(queue_.front().get());
  }
  void finish_locked(const grpc::Status& st) {
    if (finished_) return;
    finished_ = true;
    finishing_ = true;
    this->Finish(st);
  }

  Fanout<Msg>& fanout_;
  v1::StreamRequest request_;
  std::size_t limit_;
  GrpcStreamStats& stats_;
  std::uint64_t id_ = 0;
  // Recursive: gRPC may run OnWriteDone inline from StartWrite.
  std::recursive_mutex mutex_;
  std::deque<typename Fanout<Msg>::Ptr> queue_;
  bool writing_ = false;
  bool finishing_ = false;
  bool finished_ = false;
  grpc::Status status_;
};

// A stream that ends at once with `st` (authorization failed).
template <class Msg>
class RefusedStream final : public grpc::ServerWriteReactor<Msg> {
 public:
  explicit RefusedStream(const grpc::Status& st) { this->Finish(st); }
  void OnDone() override { delete this; }
};

template <class Msg>
grpc::ServerWriteReactor<Msg>* open_stream(Ctx* ctx, const GatewayCore& core, Fanout<Msg>& fanout,
                                           const v1::StreamRequest* req, std::size_t limit, GrpcStreamStats& stats) {
  auto st = authorize(ctx, core, false);
  if (!st.ok()) return new RefusedStream<Msg>(st);
  return new FanoutStream<Msg>(fanout, *req, limit, stats);
}

}  // namespace

using Unary = grpc::ServerUnaryReactor;

Unary* GatewayGrpcService::GetStatus(Ctx* ctx, const v1::GetStatusRequest*, v1::GetStatusResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    *res = core_.status();
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::ListNodes(Ctx* ctx, const v1::ListNodesRequest*, v1::ListNodesResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    *res = core_.nodes();
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::GetLatestSensing(Ctx* ctx, const v1::GetLatestSensingRequest* req,
                                            v1::GetLatestSensingResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    for (auto& u : core_.cache().latest_sensing(req->node_id())) *res->add_updates() = std::move(u);
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::GetLatestPoses(Ctx* ctx, const v1::GetLatestPosesRequest* req, v1::GetLatestPosesResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    for (auto& f : core_.cache().latest_poses(req->node_id())) *res->add_frames() = std::move(f);
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::ListEvents(Ctx* ctx, const v1::ListEventsRequest* req, v1::ListEventsResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    auto r = core_.list_events(*req);
    if (!r) return to_status(r.error());
    *res = std::move(*r);
    return grpc::Status::OK;
  });
}

grpc::ServerWriteReactor<v1::SensingUpdate>* GatewayGrpcService::StreamSensing(Ctx* ctx, const v1::StreamRequest* req) {
  return open_stream(ctx, core_, core_.sensing_fanout(), req, queue_limit_, stats_);
}
grpc::ServerWriteReactor<v1::PoseFrame>* GatewayGrpcService::StreamPoses(Ctx* ctx, const v1::StreamRequest* req) {
  return open_stream(ctx, core_, core_.pose_fanout(), req, queue_limit_, stats_);
}
grpc::ServerWriteReactor<v1::MatEvent>* GatewayGrpcService::StreamMatEvents(Ctx* ctx, const v1::StreamRequest* req) {
  return open_stream(ctx, core_, core_.mat_fanout(), req, queue_limit_, stats_);
}
grpc::ServerWriteReactor<v1::Event>* GatewayGrpcService::StreamEvents(Ctx* ctx, const v1::StreamRequest* req) {
  return open_stream(ctx, core_, core_.event_fanout(), req, queue_limit_, stats_);
}

Unary* GatewayGrpcService::ListRecordings(Ctx* ctx, const v1::ListRecordingsRequest*, v1::ListRecordingsResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    *res = core_.recordings();
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::StartRecording(Ctx* ctx, const v1::StartRecordingRequest* req, v1::RecordingSession* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    auto r = core_.start_recording(*req);
    if (!r) return to_status(r.error());
    *res = std::move(*r);
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::StopRecording(Ctx* ctx, const v1::StopRecordingRequest* req, v1::RecordingSession* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    auto r = core_.stop_recording(*req);
    if (!r) return to_status(r.error());
    *res = std::move(*r);
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::ListMatZones(Ctx* ctx, const v1::ListMatZonesRequest*, v1::ListMatZonesResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    *res = core_.mat().zones();
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::ListSurvivors(Ctx* ctx, const v1::ListSurvivorsRequest* req, v1::ListSurvivorsResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    *res = core_.mat().survivors(req->zone_id());
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::ListAlerts(Ctx* ctx, const v1::ListAlertsRequest* req, v1::ListAlertsResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    *res = core_.mat().alerts(req->open_only());
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::ListDisasterEvents(Ctx* ctx, const v1::ListDisasterEventsRequest*,
                                              v1::ListDisasterEventsResponse* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey&) {
    *res = core_.mat().disaster_events();
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::SendMatCommand(Ctx* ctx, const v1::MatCommand* req, v1::MatCommandResult* res) {
  return unary(ctx, core_, false, [&](const v1::ApiKey& key) {
    auto r = core_.send_mat_command(*req, key.name());
    if (!r) return to_status(r.error());
    *res = std::move(*r);
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::CreateApiKey(Ctx* ctx, const v1::CreateApiKeyRequest* req, v1::CreateApiKeyResponse* res) {
  return unary(ctx, core_, true, [&](const v1::ApiKey&) {
    try {
      *res = core_.keys().create(req->name(), req->admin());
    } catch (const std::invalid_argument& ex) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, ex.what());
    }
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::ListApiKeys(Ctx* ctx, const v1::ListApiKeysRequest*, v1::ListApiKeysResponse* res) {
  return unary(ctx, core_, true, [&](const v1::ApiKey&) {
    for (auto& k : core_.keys().list()) *res->add_keys() = std::move(k);
    return grpc::Status::OK;
  });
}

Unary* GatewayGrpcService::RevokeApiKey(Ctx* ctx, const v1::RevokeApiKeyRequest* req, v1::ApiKey* res) {
  return unary(ctx, core_, true, [&](const v1::ApiKey&) {
    auto k = core_.keys().revoke(req->key_id());
    if (!k) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no valid key with id " + req->key_id());
    *res = std::move(*k);
    return grpc::Status::OK;
  });
}

}  // namespace wdp::gateway
