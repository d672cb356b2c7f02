#include "api_gateway.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "grpc_service.h"
#include "http_server.h"
#include "rest_api.h"
#include "static_files.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/topics.h"
#include "ws_hub.h"

namespace wdp::gateway {

ApiGatewayService::ApiGatewayService(ApiGatewayOptions options, runtime::ServiceRuntime& rt)
    : options_(std::move(options)), rt_(rt) {}

void ApiGatewayService::run() {
  // Commands to the recorder and mat-detector come from request threads: they get their own
  // publisher (the runtime's belongs to this thread), used under GatewayCore's lock.
  bus::Publisher commands(rt_.context(), {.endpoint = rt_.options().bus_pub, .send_hwm = rt_.options().send_hwm});
  CoreOptions co{.db_path = options_.db_path,
                 .retention_ns = static_cast<std::int64_t>(options_.retention_days * 86400e9),
                 .vitals_window_ns = static_cast<std::int64_t>(options_.vitals_window_s * 1e9),
                 .command_timeout = std::chrono::milliseconds(options_.command_timeout_ms),
                 .rate_limit_per_s = options_.rate_limit,
                 .rate_burst = options_.rate_burst,
                 .instance = rt_.options().instance};
  GatewayCore core(co, [&commands](std::string_view topic, const google::protobuf::MessageLite& m) {
    if (!commands.wait_for_subscriber(topic, std::chrono::milliseconds(300))) return false;
    return commands.publish(topic, m);
  });
  if (!options_.admin_key_file.empty()) core.keys().ensure_admin_key_file(options_.admin_key_file);
  if (core.keys().empty()) {
    spdlog::warn("no API key exists: every request except /healthz will answer 401; create one with "
                 "`api-gateway --create-key NAME --db {}` or pass --admin-key-file", options_.db_path);
  }

  auto& sub = rt_.add_subscriber();
  sub.on<v1::Heartbeat>(bus::topics::heartbeat, [&](const v1::Heartbeat& hb, const bus::Delivery&) { core.on_heartbeat(hb); });
  sub.on<v1::SensingUpdate>(bus::topics::sensing,
                            [&](const v1::SensingUpdate& u, const bus::Delivery& d) { core.on_sensing(u, d.receive_time_ns); });
  sub.on<v1::PoseFrame>(bus::topics::pose, [&](const v1::PoseFrame& f, const bus::Delivery&) { core.on_pose(f); });
  sub.on<v1::MatEvent>(bus::topics::mat, [&](const v1::MatEvent& m, const bus::Delivery& d) { core.on_mat(m, d.receive_time_ns); });
  sub.on<v1::MatCommandResult>(bus::topics::mat_result,
                               [&](const v1::MatCommandResult& r, const bus::Delivery&) { core.on_mat_result(r); });
  sub.on<v1::RecordingStatus>(bus::topics::recorder_status,
                              [&](const v1::RecordingStatus& s, const bus::Delivery&) { core.on_recording_status(s); });

  auto& m = rt_.metrics();

  WsHub hub(core, {.queue_limit = options_.ws_queue, .ruview_source = options_.ruview_source});
  RestApi rest(core, {.cors_origin = options_.cors_origin,
                      .web_root = options_.web_root.empty() ? default_web_root() : std::filesystem::path(options_.web_root)});
  HttpServer http({.address = options_.http_address, .port = options_.http_port, .threads = options_.http_threads},
                  [&rest](const HttpRequest& r) { return rest.handle(r); },
                  [&rest](const HttpRequest& r) { return rest.is_blocking(r); }, &hub);

  GatewayGrpcService service(core, options_.grpc_stream_queue);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int grpc_port = 0;
  builder.AddListeningPort(options_.grpc_address + ":" + std::to_string(options_.grpc_port),
                           grpc::InsecureServerCredentials(), &grpc_port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || grpc_port == 0) {
    throw std::runtime_error("cannot listen for gRPC on " + options_.grpc_address + ":" + std::to_string(options_.grpc_port));
  }
  server->GetHealthCheckService()->SetServingStatus(true);

  m.gauge_fn("wdp_gateway_ws_clients", "WebSocket clients connected", {}, [&] { return double(hub.stats().clients.load()); });
  m.counter_fn("wdp_gateway_ws_sent_total", "WebSocket messages sent", {}, [&] { return double(hub.stats().sent.load()); });
  m.counter_fn("wdp_gateway_ws_dropped_total", "WebSocket messages dropped (slow client queue full)", {},
               [&] { return double(hub.stats().dropped.load()); });
  m.gauge_fn("wdp_gateway_grpc_streams", "gRPC streams open", {}, [&] { return double(service.stream_stats().streams.load()); });
  m.counter_fn("wdp_gateway_grpc_stream_dropped_total", "gRPC stream messages dropped (slow client)", {},
               [&] { return double(service.stream_stats().dropped.load()); });
  m.counter_fn("wdp_gateway_events_committed_total", "events committed to the database", {},
               [&] { return double(core.writer().stats().committed.load()); });
  m.counter_fn("wdp_gateway_db_dropped_total", "database writes dropped (writer queue full)", {},
               [&] { return double(core.writer().stats().dropped.load()); });
  m.counter_fn("wdp_gateway_db_errors_total", "failed database transactions", {},
               [&] { return double(core.writer().stats().errors.load()); });

  spdlog::info("serving http=http://{}:{} grpc={}:{} db={}", options_.http_address, http.port(), options_.grpc_address,
               grpc_port, options_.db_path);
  rt_.set_state(v1::SERVICE_STATE_READY);

  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(20));
    core.sync_mat(std::chrono::steady_clock::now());
    const auto err = core.writer().last_error();
    if (!err.empty()) {
      rt_.set_state(v1::SERVICE_STATE_DEGRADED, "database: " + err);
    }
    rt_.tick();
  }
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  http.stop();
}

int create_key_offline(const std::string& db_path, const std::string& name) {
  Store store(db_path);
  KeyRing keys(store);
  const auto r = keys.create(name, true);
  std::cerr << "created admin key " << r.key().key_id() << " '" << name << "' in " << db_path << "\n";
  std::cout << r.secret() << "\n";
  return 0;
}

}  // namespace wdp::gateway
