#pragma once
// wdp.v1.Gateway over gRPC (callback API), answering from the StateCache. Streaming RPCs and
// API-key auth arrive with issue [5/7]; until then they answer UNIMPLEMENTED rather than pretend.
#include "state_cache.h"
#include "wdp/v1/gateway.grpc.pb.h"

namespace wdp::gateway {

class GatewayGrpcService final : public v1::Gateway::CallbackService {
 public:
  explicit GatewayGrpcService(const StateCache& cache) : cache_(cache) {}

  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* ctx, const v1::GetStatusRequest*,
                                      v1::GetStatusResponse* response) override;
  grpc::ServerUnaryReactor* GetLatestSensing(grpc::CallbackServerContext* ctx, const v1::GetLatestSensingRequest* request,
                                             v1::GetLatestSensingResponse* response) override;
  grpc::ServerUnaryReactor* GetLatestPoses(grpc::CallbackServerContext* ctx, const v1::GetLatestPosesRequest* request,
                                           v1::GetLatestPosesResponse* response) override;

 private:
  const StateCache& cache_;
};

}  // namespace wdp::gateway
