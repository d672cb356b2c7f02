#pragma once
// api-gateway: the system's front door. Subscribes to heartbeats, sensing, poses and WiFi-Mat
// events; serves HTTP (REST, later WebSocket and the dashboard) and gRPC.
#include <cstdint>
#include <string>

#include "state_cache.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::gateway {

struct ApiGatewayOptions {
  std::string http_address = "127.0.0.1";
  std::uint16_t http_port = 8080;
  std::string grpc_address = "127.0.0.1";
  std::uint16_t grpc_port = 50051;
};

class ApiGatewayService {
 public:
  ApiGatewayService(ApiGatewayOptions options, runtime::ServiceRuntime& runtime);
  void run();

 private:
  ApiGatewayOptions options_;
  runtime::ServiceRuntime& rt_;
  StateCache cache_;
};

}  // namespace wdp::gateway
