#include "grpc_service.h"

namespace wdp::gateway {

grpc::ServerUnaryReactor* GatewayGrpcService::GetStatus(grpc::CallbackServerContext* ctx, const v1::GetStatusRequest*,
                                                        v1::GetStatusResponse* response) {
  *response = cache_.status();
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* GatewayGrpcService::GetLatestSensing(grpc::CallbackServerContext* ctx,
                                                               const v1::GetLatestSensingRequest* request,
                                                               v1::GetLatestSensingResponse* response) {
  for (auto& u : cache_.latest_sensing(request->node_id())) *response->add_updates() = std::move(u);
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* GatewayGrpcService::GetLatestPoses(grpc::CallbackServerContext* ctx,
                                                             const v1::GetLatestPosesRequest* request,
                                                             v1::GetLatestPosesResponse* response) {
  for (auto& f : cache_.latest_poses(request->node_id())) *response->add_frames() = std::move(f);
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace wdp::gateway
