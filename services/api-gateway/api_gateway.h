#pragma once
// api-gateway: the system's front door. Subscribes to heartbeats, sensing, poses, WiFi-Mat events
// and command replies; persists events in SQLite; serves REST, WebSockets, the dashboard and gRPC.
#include <cstdint>
#include <string>

#include "gateway_core.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::gateway {

struct ApiGatewayOptions {
  std::string http_address = "127.0.0.1";
  std::uint16_t http_port = 8080;
  int http_threads = 2;
  std::string grpc_address = "127.0.0.1";
  std::uint16_t grpc_port = 50051;
  std::string db_path = "api-gateway.db";
  std::string admin_key_file;  // "" = none
  double retention_days = 30;
  double rate_limit = 100;     // requests/s per key; 0 = unlimited
  double rate_burst = 200;
  std::string cors_origin;
  std::string web_root;        // "" = default_web_root()
  std::size_t ws_queue = 64;
  std::size_t grpc_stream_queue = 256;
  int command_timeout_ms = 3000;
  double vitals_window_s = 60;
  std::string ruview_source = "esp32";
};

class ApiGatewayService {
 public:
  ApiGatewayService(ApiGatewayOptions options, runtime::ServiceRuntime& runtime);
  void run();

 private:
  ApiGatewayOptions options_;
  runtime::ServiceRuntime& rt_;
};

// `api-gateway --create-key NAME --db PATH`: creates an admin key offline and prints it.
int create_key_offline(const std::string& db_path, const std::string& name);

}  // namespace wdp::gateway
