// api-gateway: REST, WebSocket, dashboard and gRPC front door over the bus.
#include <CLI/CLI.hpp>
#include <iostream>

#include "api_gateway.h"

int main(int argc, char** argv) {
  CLI::App app{"api-gateway: serves sensing, poses, events and WiFi-Mat over HTTP, WebSocket and gRPC"};
  app.option_defaults()->always_capture_default();
  wdp::gateway::ApiGatewayOptions o;
  std::string create_key;
  app.add_option("--http-address", o.http_address, "HTTP listen address")->envname("WDP_HTTP_ADDRESS");
  app.add_option("--http-port", o.http_port, "HTTP port (REST, WebSocket, dashboard)")->envname("WDP_HTTP_PORT");
  app.add_option("--http-threads", o.http_threads, "HTTP io threads")->envname("WDP_HTTP_THREADS")->check(CLI::Range(1, 64));
  app.add_option("--grpc-address", o.grpc_address, "gRPC listen address")->envname("WDP_GRPC_ADDRESS");
  app.add_option("--grpc-port", o.grpc_port, "gRPC port")->envname("WDP_GRPC_PORT");
  app.add_option("--db", o.db_path, "SQLite database file (events, nodes, keys, recordings)")->envname("WDP_GATEWAY_DB");
  app.add_option("--admin-key-file", o.admin_key_file,
                 "admin key file: created (mode 0600) with a new admin key if missing, else its key is registered")
      ->envname("WDP_ADMIN_KEY_FILE");
  app.add_option("--create-key", create_key, "create an admin API key NAME in --db, print it and exit");
  app.add_option("--retention-days", o.retention_days, "delete events older than this")
      ->envname("WDP_RETENTION_DAYS")->check(CLI::PositiveNumber);
  app.add_option("--rate-limit", o.rate_limit, "requests per second per API key (0 = unlimited)")
      ->envname("WDP_RATE_LIMIT")->check(CLI::NonNegativeNumber);
  app.add_option("--rate-burst", o.rate_burst, "burst size of the per-key rate limit")
      ->envname("WDP_RATE_BURST")->check(CLI::PositiveNumber);
  app.add_option("--cors-origin", o.cors_origin, "allowed CORS origin ('*' or one origin; empty = no CORS)")
      ->envname("WDP_CORS_ORIGIN");
  app.add_option("--web-root", o.web_root, "dashboard directory (default: $WDP_WEB_ROOT, else <bin>/../web)");
  app.add_option("--ws-queue", o.ws_queue, "messages queued per WebSocket client before the oldest is dropped")
      ->check(CLI::Range(1, 100000));
  app.add_option("--grpc-stream-queue", o.grpc_stream_queue, "messages queued per gRPC stream before the oldest is dropped")
      ->check(CLI::Range(1, 100000));
  app.add_option("--command-timeout-ms", o.command_timeout_ms, "how long to wait for the recorder / mat-detector")
      ->check(CLI::Range(10, 60000));
  app.add_option("--vitals-window-s", o.vitals_window_s, "length of the per-node vitals summary events")
      ->check(CLI::PositiveNumber);
  app.add_option("--ruview-source", o.ruview_source, "`source` field of /ws/sensing messages (RuView clients)");
  wdp::runtime::RuntimeOptions rt{.service = "api-gateway", .admin_port = 9105};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  if (!create_key.empty()) {
    try {
      return wdp::gateway::create_key_offline(o.db_path, create_key);
    } catch (const std::exception& ex) {
      std::cerr << "error: " << ex.what() << "\n";
      return 1;
    }
  }
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) {
    wdp::gateway::ApiGatewayService(o, r).run();
  });
}
