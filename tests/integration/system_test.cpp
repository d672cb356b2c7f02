// Starts the real processes (bus-forwarder + six services) on random loopback ports and checks
// what an operator relies on: health and metrics on every admin port, 1,000 CSI frames delivered
// in order to a subscriber in another process, recovery after the forwarder or a subscriber is
// killed, and a clean exit on SIGTERM within one second.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "process.h"
#include "wdp/v1/gateway.grpc.pb.h"
#include "wdp/bus/publisher.h"
#include "wdp/testing/http_get.h"
#include "wdp/v1/csi_frame.pb.h"

namespace wdp::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kBin = WDP_BIN_DIR;
const std::vector<std::string> kServices = {"csi-ingest", "signal-processor", "pose-inference",
                                            "mat-detector", "api-gateway", "recorder"};

// Reads the JSON lines bus-tap has written so far.
std::vector<nlohmann::json> read_tap(const fs::path& file) {
  std::vector<nlohmann::json> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '}') out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

class SystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("wdp-system-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    frontend_ = free_port();
    backend_ = free_port();
    start_forwarder();
    for (const auto& s : kServices) start_service(s);
  }
  void TearDown() override {
    procs_.clear();
    taps_.clear();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::vector<std::string> runtime_args(std::uint16_t admin) {
    return {"--bus-pub", ">tcp://127.0.0.1:" + std::to_string(frontend_),
            "--bus-sub", ">tcp://127.0.0.1:" + std::to_string(backend_),
            "--admin-port", std::to_string(admin), "--heartbeat-interval", "0.2"};
  }

  void start_forwarder() {
    if (!admin_.contains("bus-forwarder")) admin_["bus-forwarder"] = free_port();
    auto args = runtime_args(admin_["bus-forwarder"]);
    args.insert(args.end(), {"--frontend", "@tcp://127.0.0.1:" + std::to_string(frontend_), "--backend",
                             "@tcp://127.0.0.1:" + std::to_string(backend_)});
    procs_["bus-forwarder"] = std::make_unique<Process>(kBin + "/bus-forwarder", args, "", (dir_ / "bus-forwarder.log").string());
  }

  void start_service(const std::string& name) {
    admin_[name] = free_port();
    auto args = runtime_args(admin_[name]);
    if (name == "csi-ingest") {
      args.insert(args.end(), {"--udp-address", "127.0.0.1", "--udp-port", "0"});
    } else if (name == "api-gateway") {
      grpc_port_ = free_port();
      args.insert(args.end(), {"--http-port", std::to_string(free_port()), "--grpc-port", std::to_string(grpc_port_),
                               "--db", (dir_ / "gateway.db").string(), "--admin-key-file", (dir_ / "admin.key").string()});
    }
    procs_[name] = std::make_unique<Process>(kBin + "/" + name, args, "", (dir_ / (name + ".log")).string());
  }

  // Starts bus-tap on `topic`, writing JSON lines to <dir>/<file>.
  Process& start_tap(const std::string& topic, const std::string& file) {
    taps_.push_back(std::make_unique<Process>(
        kBin + "/bus-tap",
        std::vector<std::string>{"--bus-sub", ">tcp://127.0.0.1:" + std::to_string(backend_), "--topic", topic},
        (dir_ / file).string(), (dir_ / (file + ".err")).string()));
    return *taps_.back();
  }

  // The admin key the gateway wrote on its first start (every API call needs a key).
  std::string admin_key() {
    std::string k;
    std::ifstream(dir_ / "admin.key") >> k;
    return k;
  }

  void expect_all_healthy() {
    for (const auto& [name, port] : admin_) {
      EXPECT_TRUE(wait_http_ok(port, "/healthz", 10s)) << name << " /healthz on port " << port;
    }
  }

  fs::path dir_;
  std::uint16_t frontend_ = 0, backend_ = 0, grpc_port_ = 0;
  std::map<std::string, std::uint16_t> admin_;
  std::map<std::string, std::unique_ptr<Process>> procs_;
  std::vector<std::unique_ptr<Process>> taps_;
};

v1::CsiFrame test_frame(std::uint64_t seq) {
  v1::CsiFrame f;
  f.set_node_id("itest");
  f.set_source_format(v1::SOURCE_FORMAT_ESP32_UDP);
  f.set_sequence(seq);
  f.set_n_rx(1);
  f.set_n_tx(1);
  f.set_n_bins(192);
  f.set_samples(std::string(384, '\x05'));
  return f;
}

// Publishes frames [first, first+count) and waits until the tap file holds `expect_lines` lines.
std::vector<nlohmann::json> publish_and_collect(bus::Publisher& pub, const fs::path& tap, std::uint64_t first,
                                                std::uint64_t count, std::size_t expect_lines) {
  for (std::uint64_t i = first; i < first + count; ++i) pub.publish("csi.raw.itest", test_frame(i));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::vector<nlohmann::json> lines;
  while (std::chrono::steady_clock::now() < deadline) {
    lines = read_tap(tap);
    if (lines.size() >= expect_lines) break;
    std::this_thread::sleep_for(20ms);
  }
  return lines;
}

TEST_F(SystemTest, EveryProcessServesHealthAndMetrics) {
  expect_all_healthy();
  for (const auto& [name, port] : admin_) {
    const auto [status, body] = http_request(port, "/metrics");
    EXPECT_EQ(status, 200) << name;
    EXPECT_NE(body.find("wdp_bus_published_total{service=\"" + name + "\"}"), std::string::npos) << name << body;
    EXPECT_EQ(http_request(port, "/config").first, 200) << name;
  }
}

TEST_F(SystemTest, ThousandFramesInOrderThenRecoveryFromForwarderAndSubscriberRestarts) {
  expect_all_healthy();
  zmq::context_t ctx;
  bus::Publisher pub(ctx, {">tcp://127.0.0.1:" + std::to_string(frontend_), 100'000});

  // 1. 1,000 frames through the forwarder to a subscriber process, all of them, in order.
  const auto tap1 = dir_ / "tap1.jsonl";
  start_tap("csi.raw.itest", "tap1.jsonl");
  ASSERT_TRUE(pub.wait_for_subscription("csi.raw.itest", true, 10s));
  auto lines = publish_and_collect(pub, tap1, 0, 1000, 1000);
  ASSERT_EQ(lines.size(), 1000u);
  for (std::size_t i = 0; i < lines.size(); ++i) ASSERT_EQ(lines[i]["frame_seq"], i) << "line " << i;

  // 2. kill -9 the forwarder and start it again: the flow resumes without reconfiguring anyone.
  procs_["bus-forwarder"]->signal(SIGKILL);
  ASSERT_TRUE(procs_["bus-forwarder"]->wait(2s));
  start_forwarder();
  ASSERT_TRUE(wait_http_ok(admin_["bus-forwarder"], "/healthz", 10s));
  std::uint64_t next = 1000;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (read_tap(tap1).size() < 1100 && std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 10; ++i) pub.publish("csi.raw.itest", test_frame(next++));
    std::this_thread::sleep_for(10ms);
  }
  lines = read_tap(tap1);
  ASSERT_GE(lines.size(), 1100u) << "flow did not resume after the forwarder restart";
  for (std::size_t i = 1; i < lines.size(); ++i) {
    ASSERT_GT(lines[i]["frame_seq"].get<long long>(), lines[i - 1]["frame_seq"].get<long long>()) << "order, line " << i;
  }

  // The services reconnected too: every one of them heartbeats through the new forwarder.
  const auto hb = dir_ / "hb.jsonl";
  start_tap("hb.", "hb.jsonl");
  std::set<std::string> beating;
  const auto hb_deadline = std::chrono::steady_clock::now() + 10s;
  while (beating.size() < 7 && std::chrono::steady_clock::now() < hb_deadline) {
    for (const auto& l : read_tap(hb)) beating.insert(l["topic"].get<std::string>());
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(beating.size(), 7u) << "services heartbeating after the forwarder restart: " << beating.size();

  // 3. kill -9 the subscriber, start a new one: it receives a fresh 1,000 in order.
  taps_.front()->signal(SIGKILL);
  taps_.front()->wait(2s);
  ASSERT_TRUE(pub.wait_for_subscription("csi.raw.itest", false, 10s)) << "forwarder never noticed the dead subscriber";
  const auto tap2 = dir_ / "tap2.jsonl";
  start_tap("csi.raw.itest", "tap2.jsonl");
  ASSERT_TRUE(pub.wait_for_subscription("csi.raw.itest", true, 10s));
  lines = publish_and_collect(pub, tap2, 5000, 1000, 1000);
  ASSERT_EQ(lines.size(), 1000u);
  for (std::size_t i = 0; i < lines.size(); ++i) ASSERT_EQ(lines[i]["frame_seq"], 5000 + i);
  EXPECT_EQ(pub.stats().dropped, 0u);
}

TEST_F(SystemTest, SigtermStopsEveryProcessWithinOneSecond) {
  expect_all_healthy();
  for (auto& [name, p] : procs_) p->signal(SIGTERM);
  for (auto& [name, p] : procs_) {
    const auto status = p->wait(1000ms);
    ASSERT_TRUE(status.has_value()) << name << " still running 1 s after SIGTERM";
    EXPECT_EQ(*status, 0) << name << " exit status";
  }
}

TEST_F(SystemTest, GatewayListsHeartbeatingServices) {
  expect_all_healthy();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::set<std::string> listed;
  // The gateway's HTTP port is in its args; ask its admin /config for it instead of guessing.
  const auto cfg = http_request(admin_["api-gateway"], "/config").second;
  const auto pos = cfg.find("http-port=");
  ASSERT_NE(pos, std::string::npos) << cfg;
  const auto http_port = static_cast<std::uint16_t>(std::stoi(cfg.substr(pos + 10)));
  while (listed.size() < 7 && std::chrono::steady_clock::now() < deadline) {
    const auto [status, body] = http_request(http_port, "/api/v1/status?access_token=" + admin_key());
    if (status == 200) {
      listed.clear();
      for (const auto& s : nlohmann::json::parse(body).value("services", nlohmann::json::array())) {
        listed.insert(s["service"].get<std::string>());
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(listed.size(), 7u);
}

}  // namespace
}  // namespace wdp::testing

namespace wdp::testing {
namespace {

TEST_F(SystemTest, GrpcStatusAndHealthAnswer) {
  expect_all_healthy();
  // /healthz answers as soon as the admin port is up; the gateway reports READY only once gRPC listens.
  ASSERT_TRUE(wait_http_ok(admin_.at("api-gateway"), "/readyz", 10s));
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_), grpc::InsecureChannelCredentials());
  auto stub = v1::Gateway::NewStub(channel);
  std::set<std::string> listed;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (listed.size() < 7 && std::chrono::steady_clock::now() < deadline) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 2s);
    ctx.AddMetadata("authorization", "Bearer " + admin_key());
    v1::GetStatusResponse res;
    const auto status = stub->GetStatus(&ctx, v1::GetStatusRequest{}, &res);
    ASSERT_TRUE(status.ok()) << status.error_message();
    listed.clear();
    for (const auto& s : res.services()) listed.insert(s.service());
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(listed.size(), 7u);

  // No signal-processor output exists yet, so there is no sensing to return: empty, not invented.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + admin_key());
  v1::GetLatestSensingResponse sensing;
  ASSERT_TRUE(stub->GetLatestSensing(&ctx, v1::GetLatestSensingRequest{}, &sensing).ok());
  EXPECT_EQ(sensing.updates_size(), 0);

  // Standard grpc.health.v1: call it generically so no extra stubs are needed.
  grpc::GenericStub generic(channel);
  grpc::ClientContext hctx;
  hctx.set_deadline(std::chrono::system_clock::now() + 2s);
  // HealthCheckRequest{service=""} encodes to zero bytes; the response {status: SERVING=1} is 08 01.
  grpc::ByteBuffer request, response;
  grpc::Slice empty("", 0);
  request = grpc::ByteBuffer(&empty, 1);
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  grpc::Status hstatus;
  generic.UnaryCall(&hctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                    [&](grpc::Status s) {
                      std::lock_guard l(m);
                      hstatus = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock l(m);
  ASSERT_TRUE(cv.wait_for(l, 5s, [&] { return done; }));
  ASSERT_TRUE(hstatus.ok()) << hstatus.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& sl : slices) bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

}  // namespace
}  // namespace wdp::testing
