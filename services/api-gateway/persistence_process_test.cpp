// Real processes: bus-forwarder + api-gateway on random loopback ports. Sensing updates published
// on the bus become events; what a client was shown survives `kill -9` of the gateway and a
// restart on the same database. Also: the offline `--create-key` admin command and the admin key file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <grpcpp/grpcpp.h>

#include "json_codec.h"
#include "process.h"
#include "test_clients.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/bus/topics.h"
#include "wdp/testing/http_get.h"
#include "wdp/testing/temp_dir.h"
#include "wdp/v1/gateway.grpc.pb.h"

namespace wdp::gateway {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using wdp::testing::free_port;
using wdp::testing::Process;

const std::string kBin = WDP_BIN_DIR;

class PersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = wdp::testing::fresh_test_dir("wdp-gw-persist");
    bus_ = std::make_unique<wdp::testing::TestBus>(kBin, (dir_ / "forwarder.log").string());
    ASSERT_TRUE(bus_->ready(std::chrono::seconds(10)));
  }
  void TearDown() override {
    gateway_.reset();
    bus_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  void start_gateway() {
    http_ = free_port();
    grpc_ = free_port();
    gateway_ = std::make_unique<Process>(
        kBin + "/api-gateway",
        std::vector<std::string>{"--db", (dir_ / "gw.db").string(), "--admin-key-file", (dir_ / "run" / "admin.key").string(),
                                 "--http-port", std::to_string(http_), "--grpc-port", std::to_string(grpc_),
                                 "--admin-port", std::to_string(free_port()), "--bus-pub",
                                 bus_->pub(), "--bus-sub", bus_->sub(), "--heartbeat-interval", "0.2"},
        "", (dir_ / "gateway.log").string());
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (testing::http(http_, "GET", "/healthz").status != 200) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "gateway did not start";
      std::this_thread::sleep_for(50ms);
    }
  }

  std::string admin_key() {
    std::string key;
    std::ifstream(dir_ / "run" / "admin.key") >> key;
    return key;
  }

  v1::ListEventsResponse events(const std::string& key) {
    const auto r = testing::http(http_, "GET", "/api/v1/events?limit=1000", key);
    EXPECT_EQ(r.status, 200) << r.body;
    v1::ListEventsResponse out;
    EXPECT_EQ(from_json(r.body, out), "");
    return out;
  }

  fs::path dir_;
  std::uint16_t http_ = 0, grpc_ = 0;
  std::unique_ptr<wdp::testing::TestBus> bus_;
  std::unique_ptr<Process> gateway_;
};

TEST_F(PersistenceTest, EventsShownToAClientSurviveKill9AndRestart) {
  start_gateway();
  const auto key = admin_key();
  ASSERT_EQ(key.size(), 68u);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "run" / "admin.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  zmq::context_t ctx;
  bus::Publisher pub(ctx, {.endpoint = bus_->pub()});
  ASSERT_TRUE(pub.wait_for_subscriber("sensing.n1", 10s));
  // Presence off, on, off, on: the first sets the state, then three changes = three events.
  const auto t0 = bus::wall_ns();
  for (int i = 0; i < 4; ++i) {
    v1::SensingUpdate u;
    u.mutable_origin()->set_node_id("n1");
    u.mutable_origin()->set_capture_time_ns(t0 + i * 1'000'000);
    u.set_calibrated(true);
    u.set_presence(i % 2 == 1);
    u.set_motion_state(v1::MOTION_STATE_PRESENT_STILL);
    ASSERT_TRUE(pub.publish("sensing.n1", u));
  }
  v1::ListEventsResponse seen;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (seen.events_size() < 3 && std::chrono::steady_clock::now() < deadline) {
    seen = events(key);
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(seen.events_size(), 3);

  gateway_->signal(SIGKILL);
  ASSERT_EQ(gateway_->wait(5s), -SIGKILL);
  start_gateway();
  EXPECT_EQ(admin_key(), key);  // the file is reused, not replaced
  const auto after = events(key);
  ASSERT_EQ(after.events_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(after.events(i).id(), seen.events(i).id());
    EXPECT_EQ(after.events(i).time_ns(), seen.events(i).time_ns());
    EXPECT_EQ(after.events(i).presence().presence(), seen.events(i).presence().presence());
  }
  // The node sighting was persisted too.
  const auto nodes = testing::http(http_, "GET", "/api/v1/nodes", key);
  EXPECT_NE(nodes.body.find("\"n1\""), std::string::npos) << nodes.body;

  // gRPC answers the same from the restarted process.
  auto stub = v1::Gateway::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_), grpc::InsecureChannelCredentials()));
  grpc::ClientContext gctx;
  gctx.AddMetadata("authorization", "Bearer " + key);
  gctx.set_deadline(std::chrono::system_clock::now() + 5s);
  v1::ListEventsResponse g;
  ASSERT_TRUE(stub->ListEvents(&gctx, {}, &g).ok());
  EXPECT_EQ(g.events_size(), 3);

  // SIGTERM: a clean, prompt exit.
  gateway_->signal(SIGTERM);
  EXPECT_EQ(gateway_->wait(5s), 0);
}

TEST_F(PersistenceTest, MatChangesMadeWhileTheGatewayWasDownAreSynchronisedAtItsStart) {
  // mat-detector with the rubble site: one disaster event and one zone, no CSI needed.
  const auto mat_admin = free_port();
  const std::string bus_pub = bus_->pub();
  const std::string bus_sub = bus_->sub();
  Process mat(kBin + "/mat-detector",
              {"--site", std::string(WDP_SOURCE_DIR) + "/services/mat-detector/sites/rubble-sim.json", "--state-dir",
               (dir_ / "mat").string(), "--bus-pub", bus_pub, "--bus-sub", bus_sub, "--admin-port", std::to_string(mat_admin)},
              "", (dir_ / "mat.log").string());
  ASSERT_TRUE(wdp::testing::wait_http_ok(mat_admin, "/healthz", 10s));
  start_gateway();
  const auto key = admin_key();
  const auto zones = [&] { return testing::http(http_, "GET", "/api/v1/mat/zones", key).body; };
  const auto wait_for = [&](auto pred, const char* what) {
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (!pred()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << what << "; see " << (dir_ / "gateway.log");
      std::this_thread::sleep_for(50ms);
    }
  };
  wait_for([&] { return zones().find("zone-sim-pile") != std::string::npos; }, "the site's zone never reached the gateway");

  // The gateway stops; meanwhile an operator tool deletes the zone and opens a second event.
  gateway_->signal(SIGTERM);
  ASSERT_EQ(gateway_->wait(5s), 0);
  zmq::context_t ctx;
  bus::Publisher pub(ctx, {.endpoint = bus_pub});
  bus::Subscriber results(ctx, {.endpoints = {bus_sub}});
  int ok = 0;
  results.on<v1::MatCommandResult>(bus::topics::mat_result, [&](const v1::MatCommandResult& r, const bus::Delivery&) {
    EXPECT_TRUE(r.ok()) << r.error();
    ok += r.ok();
  });
  ASSERT_TRUE(pub.wait_for_subscriber(bus::topics::mat_control, 10s));
  std::this_thread::sleep_for(300ms);  // our result subscription reaches mat-detector through the forwarder
  v1::MatCommand del;
  del.set_command_id("t-del");
  del.set_delete_zone_id("zone-sim-pile");
  ASSERT_TRUE(pub.publish(bus::topics::mat_control, del));
  v1::MatCommand create;
  create.set_command_id("t-create");
  create.mutable_create_event()->set_event_id("event-while-away");
  create.mutable_create_event()->set_name("Second collapse");
  ASSERT_TRUE(pub.publish(bus::topics::mat_control, create));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (ok < 2 && std::chrono::steady_clock::now() < deadline) results.poll(50ms);
  ASSERT_EQ(ok, 2);

  // Restarted on the same database, which still holds the zone: the sync removes it and adds the event.
  start_gateway();
  wait_for([&] { return zones().find("zone-sim-pile") == std::string::npos; }, "the deleted zone is still listed");
  const auto events = testing::http(http_, "GET", "/api/v1/mat/events", key);
  EXPECT_NE(events.body.find("event-while-away"), std::string::npos) << events.body;
  EXPECT_NE(events.body.find("event-sim-rubble"), std::string::npos) << events.body;
  // The missed change is persisted as an event like any other.
  bool deleted_logged = false;
  const auto logged = this->events(key);
  for (const auto& e : logged.events()) deleted_logged |= e.summary().find("zone-sim-pile") != std::string::npos &&
                                                          e.summary().find("deleted") != std::string::npos;
  EXPECT_TRUE(deleted_logged);
  mat.signal(SIGTERM);
  EXPECT_EQ(mat.wait(5s), 0);
}

TEST_F(PersistenceTest, OfflineCreateKeyMakesAnAdminKeyTheServerAccepts) {
  const auto out = dir_ / "created.txt";
  Process create(kBin + "/api-gateway", {"--create-key", "ops", "--db", (dir_ / "gw.db").string()}, out.string(),
                 (dir_ / "create.log").string());
  ASSERT_EQ(create.wait(10s), 0);
  std::string key;
  std::ifstream(out) >> key;
  ASSERT_TRUE(key.starts_with("wdp_"));
  start_gateway();
  EXPECT_EQ(testing::http(http_, "GET", "/api/v1/keys", key).status, 200);  // admin route
  EXPECT_EQ(testing::http(http_, "GET", "/api/v1/status", "wdp_" + std::string(64, '0')).status, 401);

  // wdpctl over gRPC with that key: keys list shows it; without a key it refuses.
  const auto server = "127.0.0.1:" + std::to_string(grpc_);
  const auto listed = dir_ / "keys.json";
  Process ctl(kBin + "/wdpctl", {"--server", server, "--key", key, "keys", "list"}, listed.string(),
              (dir_ / "wdpctl.log").string());
  ASSERT_EQ(ctl.wait(10s), 0);
  std::stringstream text;
  text << std::ifstream(listed).rdbuf();
  EXPECT_NE(text.str().find("\"name\":\"ops\""), std::string::npos) << text.str();
  Process status(kBin + "/wdpctl", {"--server", server, "--key", key, "status"}, (dir_ / "status.json").string(),
                 (dir_ / "wdpctl.log").string());
  EXPECT_EQ(status.wait(10s), 0);
  Process wrong(kBin + "/wdpctl", {"--server", server, "--key", "wdp_wrong", "status"}, (dir_ / "wrong.json").string(),
                (dir_ / "wdpctl.log").string());
  EXPECT_EQ(wrong.wait(10s), 3);  // UNAUTHENTICATED
}

TEST_F(PersistenceTest, RecordingsStartAndStopThroughTheRealRecorder) {
  const auto recorder_admin = free_port();
  Process recorder(kBin + "/recorder",
                   {"--recordings-dir", (dir_ / "recordings").string(), "--admin-port", std::to_string(recorder_admin),
                    "--bus-pub", bus_->pub(), "--bus-sub", bus_->sub()},
                   "", (dir_ / "recorder.log").string());
  start_gateway();
  const auto key = admin_key();
  // Ready means its bus sockets are up, so its reply to the command is not lost to a slow join.
  ASSERT_TRUE(wdp::testing::wait_http_ok(recorder_admin, "/readyz", 10s));
  // The forwarder may not have passed the recorder's subscription to ctl.recorder on yet: retry
  // only while nobody listens (503). Any other answer is the recorder's.
  testing::HttpResult r;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  do {
    r = testing::http(http_, "POST", "/api/v1/recordings/start", key, R"({"name":"walk","labels":{"activity":"walking"}})");
    if (r.status != 503) break;
    std::this_thread::sleep_for(100ms);
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(r.status, 201) << r.body;
  v1::RecordingSession started;
  ASSERT_EQ(from_json(r.body, started), "");
  EXPECT_EQ(started.name(), "walk");
  EXPECT_EQ(started.labels().at("activity"), "walking");
  EXPECT_EQ(started.state(), v1::RECORDING_STATE_ACTIVE);
  EXPECT_FALSE(started.session_id().empty());

  r = testing::http(http_, "POST", "/api/v1/recordings/stop", key);
  ASSERT_EQ(r.status, 200) << r.body;
  v1::RecordingSession stopped;
  ASSERT_EQ(from_json(r.body, stopped), "");
  EXPECT_EQ(stopped.session_id(), started.session_id());
  EXPECT_EQ(stopped.state(), v1::RECORDING_STATE_STOPPED);

  // The gateway's index follows the recorder's status messages (the recorder may also announce
  // its always-on rolling session, so look ours up by id).
  const auto find = [&](const v1::ListRecordingsResponse& list) -> const v1::RecordingSession* {
    for (const auto& s : list.sessions()) {
      if (s.session_id() == started.session_id()) return &s;
    }
    return nullptr;
  };
  v1::ListRecordingsResponse list;
  const v1::RecordingSession* ours = nullptr;
  const auto until = std::chrono::steady_clock::now() + 5s;
  for (;;) {
    list.Clear();
    ASSERT_EQ(from_json(testing::http(http_, "GET", "/api/v1/recordings", key).body, list), "");
    ours = find(list);
    if ((ours && ours->state() == v1::RECORDING_STATE_STOPPED) || std::chrono::steady_clock::now() > until) break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_NE(ours, nullptr);
  EXPECT_EQ(ours->name(), "walk");
  EXPECT_EQ(ours->state(), v1::RECORDING_STATE_STOPPED);
}

}  // namespace
}  // namespace wdp::gateway
