// api-gateway: HTTP and gRPC front door over the bus.
#include <CLI/CLI.hpp>

#include "api_gateway.h"

int main(int argc, char** argv) {
  CLI::App app{"api-gateway: serves sensing, poses and WiFi-Mat over HTTP and gRPC"};
  app.option_defaults()->always_capture_default();
  wdp::gateway::ApiGatewayOptions o;
  app.add_option("--http-address", o.http_address, "HTTP listen address")->envname("WDP_HTTP_ADDRESS");
  app.add_option("--http-port", o.http_port, "HTTP port (REST, health)")->envname("WDP_HTTP_PORT");
  app.add_option("--grpc-address", o.grpc_address, "gRPC listen address")->envname("WDP_GRPC_ADDRESS");
  app.add_option("--grpc-port", o.grpc_port, "gRPC port")->envname("WDP_GRPC_PORT");
  wdp::runtime::RuntimeOptions rt{.service = "api-gateway", .admin_port = 9105};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) {
    wdp::gateway::ApiGatewayService(o, r).run();
  });
}
