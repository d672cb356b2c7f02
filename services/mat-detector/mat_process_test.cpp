// mat-detector as a real process: bus-forwarder + csi-sim --scene rubble (bus output, 8× real
// time) + mat-detector with the simulator's site file, on random loopback ports. A bus
// subscriber must see a Survivor MatEvent with a triage class and a position near the
// simulator's truth; an operator command gets its MatCommandResult; after a SIGTERM and restart
// the survivor is republished from the state directory.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <optional>

#include "process.h"
#include "sim_scenario.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/bus/topics.h"
#include "wdp/testing/http_get.h"
#include "wdp/testing/temp_dir.h"
#include "wdp/v1/mat.pb.h"

namespace wdp::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
const std::string kBin = WDP_BIN_DIR;
const std::string kSite = std::string(WDP_SOURCE_DIR) + "/services/mat-detector/sites/rubble-sim.json";

class MatProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("wdp-mat-process");
    bus_ = std::make_unique<TestBus>(kBin, (dir_ / "forwarder.log").string());
    ASSERT_TRUE(bus_->ready(10s));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string pub() const { return bus_->pub(); }
  std::string sub() const { return bus_->sub(); }

  std::unique_ptr<Process> start_mat(std::uint16_t admin) {
    auto p = std::make_unique<Process>(
        kBin + "/mat-detector",
        std::vector<std::string>{"--site", kSite, "--state-dir", (dir_ / "state").string(), "--hop", "2",
                                 "--bus-pub", pub(), "--bus-sub", sub(), "--admin-port", std::to_string(admin)},
        "", (dir_ / "mat.log").string());
    EXPECT_TRUE(wait_http_ok(admin, "/healthz", 10s)) << "see " << (dir_ / "mat.log");
    return p;
  }

  fs::path dir_;
  std::unique_ptr<TestBus> bus_;
};

TEST_F(MatProcessTest, RubbleSurvivorTriagedAndLocalisedThenSurvivesRestart) {
  zmq::context_t ctx(1);
  bus::Subscriber s(ctx, {.endpoints = {sub()}});
  std::optional<v1::Survivor> survivor;
  std::optional<v1::MatCommandResult> result;
  s.on<v1::MatEvent>("mat.survivor", [&](const v1::MatEvent& e, const bus::Delivery&) {
    if (e.survivor().state() == v1::TRACK_STATE_ACTIVE && (e.survivor().has_position() || !survivor)) survivor = e.survivor();
  });
  s.on<v1::MatCommandResult>(bus::topics::mat_result, [&](const v1::MatCommandResult& r, const bus::Delivery&) { result = r; });
  const auto admin = free_port();
  auto mat = start_mat(admin);
  // No CSI yet: nothing is invented.
  const auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < t0 + 1s) s.poll(50ms);
  EXPECT_FALSE(survivor);
  Process sim(kBin + "/csi-sim",
              {"--scene", "rubble", "--output", "bus", "--speed", "8", "--duration", "400", "--snr", "40", "--wait-subscriber", "5",
               "--bus-pub", pub(), "--bus-sub", sub(), "--admin-port", std::to_string(free_port())},
              "", (dir_ / "sim.log").string());
  // A survivor within 45 s; then up to 15 s more for its position (localization integrates).
  const auto deadline = std::chrono::steady_clock::now() + 45s;
  while (!survivor && std::chrono::steady_clock::now() < deadline) s.poll(100ms);
  ASSERT_TRUE(survivor) << "no survivor within 45 s; see " << (dir_ / "mat.log");
  const auto loc_deadline = std::chrono::steady_clock::now() + 15s;
  while (!survivor->has_position() && std::chrono::steady_clock::now() < loc_deadline) s.poll(100ms);
  ASSERT_TRUE(survivor->has_position()) << "survivor never localised; see " << (dir_ / "mat.log");
  const auto scene = sim::make_scene("rubble", 1);
  const auto truth = mat::eval::survivor_chest(scene, 0);
  const double err = std::hypot(survivor->position().x_m() - truth.x, survivor->position().y_m() - truth.y);
  std::printf("survivor %s triage %d at (%.2f, %.2f) depth %.2f m, truth (%.2f, %.2f): error %.2f m, radius %.2f m\n",
              survivor->survivor_id().c_str(), survivor->triage(), survivor->position().x_m(), survivor->position().y_m(),
              survivor->depth_m(), truth.x, truth.y, err, survivor->uncertainty_radius_m());
  EXPECT_EQ(survivor->triage(), scene.survivors[0].expected_triage);
  EXPECT_LE(err, std::max(1.5, survivor->uncertainty_radius_m()));
  EXPECT_GT(survivor->uncertainty_radius_m(), 0);

  // An operator command and its result.
  bus::Publisher p(ctx, {.endpoint = pub()});
  ASSERT_TRUE(p.wait_for_subscriber(bus::topics::mat_control, 5s));
  v1::MatCommand cmd;
  cmd.set_command_id("t-1");
  cmd.set_operator_("test");
  cmd.set_acknowledge_alert_id("alert-404");
  p.publish(bus::topics::mat_control, cmd);
  const auto cmd_deadline = std::chrono::steady_clock::now() + 5s;
  while (!result && std::chrono::steady_clock::now() < cmd_deadline) s.poll(50ms);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->command_id(), "t-1");
  EXPECT_FALSE(result->ok());
  EXPECT_NE(result->error().find("unknown alert"), std::string::npos);

  // Restart: the survivor comes back from the state directory with the same id.
  sim.signal(SIGTERM);
  sim.wait(5s);
  const std::string id = survivor->survivor_id();
  mat->signal(SIGTERM);
  ASSERT_EQ(mat->wait(10s), 0);
  survivor.reset();
  mat = start_mat(admin);
  const auto restart_deadline = std::chrono::steady_clock::now() + 10s;
  while (!survivor && std::chrono::steady_clock::now() < restart_deadline) s.poll(100ms);
  ASSERT_TRUE(survivor) << "survivor not republished after restart";
  EXPECT_EQ(survivor->survivor_id(), id);
}

}  // namespace
}  // namespace wdp::testing
