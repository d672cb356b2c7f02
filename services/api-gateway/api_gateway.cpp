#include "api_gateway.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include "grpc_service.h"
#include "wdp/admin/admin_server.h"
#include "wdp/bus/topics.h"

namespace wdp::gateway {
namespace {

std::string to_json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out + "\n";
}

}  // namespace

ApiGatewayService::ApiGatewayService(ApiGatewayOptions options, runtime::ServiceRuntime& rt)
    : options_(std::move(options)), rt_(rt) {}

void ApiGatewayService::run() {
  auto& sub = rt_.add_subscriber();
  sub.on<v1::Heartbeat>(bus::topics::heartbeat, [this](const v1::Heartbeat& hb, const bus::Delivery&) { cache_.on_heartbeat(hb); });
  sub.on<v1::SensingUpdate>(bus::topics::sensing, [this](const v1::SensingUpdate& u, const bus::Delivery&) { cache_.on_sensing(u); });
  sub.on<v1::PoseFrame>(bus::topics::pose, [this](const v1::PoseFrame& f, const bus::Delivery&) { cache_.on_pose(f); });

  admin::AdminServer http(options_.http_address, options_.http_port,
      {{"/healthz", "GET", "Liveness of the gateway (public)",
        [](const admin::Request&) { return admin::Response{200, "application/json", "{\"status\":\"ok\"}\n"}; }},
       {"/api/v1/status", "GET", "Services (from heartbeats) and nodes",
        [this](const admin::Request&) { return admin::Response{200, "application/json", to_json(cache_.status())}; }}});

  GatewayGrpcService service(cache_);
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
  spdlog::info("serving http=http://{}:{} grpc={}:{}", options_.http_address, http.port(), options_.grpc_address, grpc_port);
  rt_.set_state(v1::SERVICE_STATE_READY);

  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(100));
    rt_.tick();
  }
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  http.stop();
}

}  // namespace wdp::gateway
