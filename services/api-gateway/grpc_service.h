#pragma once
// wdp.v1.Gateway over gRPC (callback API) on top of GatewayCore. Every RPC checks the
// "authorization: Bearer <key>" metadata first (UNAUTHENTICATED / PERMISSION_DENIED /
// RESOURCE_EXHAUSTED). Streams fan out from the bus through a bounded per-call queue that drops
// the oldest message when the client is slow.
#include <atomic>

#include "gateway_core.h"
#include "wdp/v1/gateway.grpc.pb.h"

namespace wdp::gateway {

struct GrpcStreamStats {
  std::atomic<std::int64_t> streams{0};
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> dropped{0};
};

class GatewayGrpcService final : public v1::Gateway::CallbackService {
 public:
  explicit GatewayGrpcService(GatewayCore& core, std::size_t stream_queue_limit = 256)
      : core_(core), queue_limit_(stream_queue_limit) {}
  const GrpcStreamStats& stream_stats() const { return stats_; }

  using Ctx = grpc::CallbackServerContext;
  using Unary = grpc::ServerUnaryReactor;
  Unary* GetStatus(Ctx*, const v1::GetStatusRequest*, v1::GetStatusResponse*) override;
  Unary* ListNodes(Ctx*, const v1::ListNodesRequest*, v1::ListNodesResponse*) override;
  Unary* GetLatestSensing(Ctx*, const v1::GetLatestSensingRequest*, v1::GetLatestSensingResponse*) override;
  Unary* GetLatestPoses(Ctx*, const v1::GetLatestPosesRequest*, v1::GetLatestPosesResponse*) override;
  Unary* ListEvents(Ctx*, const v1::ListEventsRequest*, v1::ListEventsResponse*) override;
  grpc::ServerWriteReactor<v1::SensingUpdate>* StreamSensing(Ctx*, const v1::StreamRequest*) override;
  grpc::ServerWriteReactor<v1::PoseFrame>* StreamPoses(Ctx*, const v1::StreamRequest*) override;
  grpc::ServerWriteReactor<v1::MatEvent>* StreamMatEvents(Ctx*, const v1::StreamRequest*) override;
  grpc::ServerWriteReactor<v1::Event>* StreamEvents(Ctx*, const v1::StreamRequest*) override;
  Unary* ListRecordings(Ctx*, const v1::ListRecordingsRequest*, v1::ListRecordingsResponse*) override;
  Unary* StartRecording(Ctx*, const v1::StartRecordingRequest*, v1::RecordingSession*) override;
  Unary* StopRecording(Ctx*, const v1::StopRecordingRequest*, v1::RecordingSession*) override;
  Unary* ListMatZones(Ctx*, const v1::ListMatZonesRequest*, v1::ListMatZonesResponse*) override;
  Unary* ListSurvivors(Ctx*, const v1::ListSurvivorsRequest*, v1::ListSurvivorsResponse*) override;
  Unary* ListAlerts(Ctx*, const v1::ListAlertsRequest*, v1::ListAlertsResponse*) override;
  Unary* ListDisasterEvents(Ctx*, const v1::ListDisasterEventsRequest*, v1::ListDisasterEventsResponse*) override;
  Unary* SendMatCommand(Ctx*, const v1::MatCommand*, v1::MatCommandResult*) override;
  Unary* CreateApiKey(Ctx*, const v1::CreateApiKeyRequest*, v1::CreateApiKeyResponse*) override;
  Unary* ListApiKeys(Ctx*, const v1::ListApiKeysRequest*, v1::ListApiKeysResponse*) override;
  Unary* RevokeApiKey(Ctx*, const v1::RevokeApiKeyRequest*, v1::ApiKey*) override;

 private:
  GatewayCore& core_;
  std::size_t queue_limit_;
  GrpcStreamStats stats_;
};

}  // namespace wdp::gateway
