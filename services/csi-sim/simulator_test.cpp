// Whole-scene physics: a moved scatterer seen through the full MIMO channel, an empty room has no
// motion energy beyond noise, debris attenuates a buried survivor's path by the configured dB,
// scripted people and ground truth.
#include "simulator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ground_truth.h"

namespace wdp::sim {
namespace {

SimOptions ideal(const char* profile = "esp32-ht20") {
  SimOptions o;
  o.seed = 3;
  o.profile = profile;
  o.hardware = {.snr_db = 300, .phase_offsets = false, .agc = false, .quantize = false, .jitter_ms = 0};
  return o;
}

Scene one_scatterer(Vec3 at) {
  Scene s = make_scene("empty", 1);
  s.nodes.resize(1);
  s.furniture = {{at, 0.4}};
  return s;
}

// H(with scatterer at B) − H(without) over H(at A) − H(without) isolates the one path: its phase
// must turn by −2π f Δd / c for the exact bistatic change Δd of every antenna pair.
TEST(Simulator, MovedScattererRotatesItsPathAtEveryBinOfEveryAntennaPair) {
  const Vec3 a{2.5, 2.0, 1.1}, b{2.5 + 0.021, 2.0 + 0.008, 1.1 - 0.013};
  Scene none = one_scatterer(a);
  none.furniture.clear();
  const Simulator s0(std::move(none), ideal("nic-ht40")), sa(one_scatterer(a), ideal("nic-ht40")),
      sb(one_scatterer(b), ideal("nic-ht40"));
  std::vector<std::complex<double>> h0, ha, hb;
  s0.clean_csi(0, 0, 0.0, h0);
  sa.clean_csi(0, 0, 0.0, ha);
  sb.clean_csi(0, 0, 0.0, hb);
  const auto& p = sa.profile();
  double worst = 0;
  for (std::size_t r = 0; r < p.n_rx; ++r) {
    for (std::size_t x = 0; x < p.n_tx; ++x) {
      const Vec3 tx = sa.tx_antenna(0, 0, x), rx = sa.rx_antenna(0, 0, r);
      const double dd = bistatic_length(tx, b, rx) - bistatic_length(tx, a, rx);
      for (std::size_t k = 0; k < p.n_bins(); ++k) {
        const std::size_t i = (r * p.n_tx + x) * p.n_bins() + k;
        const double measured = std::arg((hb[i] - h0[i]) / (ha[i] - h0[i]));
        const double expected = -2 * kPi * sa.bin_freqs_hz()[k] * dd / kSpeedOfLight;
        worst = std::max(worst, std::abs(std::remainder(measured - expected, 2 * kPi)));
      }
    }
  }
  std::printf("full channel, 3x3 x 114 bins: max phase error %.3g rad\n", worst);
  EXPECT_LT(worst, 1e-9);
}

TEST(Simulator, EmptyRoomHasNoMotionEnergyBeyondNoise) {
  auto o = ideal();
  o.hardware.snr_db = 20;
  Simulator sim(make_scene("empty", 4), o);
  // The noise-free channel is exactly static.
  std::vector<std::complex<double>> c0, c1;
  sim.clean_csi(0, 0, 0.0, c0);
  sim.clean_csi(0, 0, 37.3, c1);
  EXPECT_EQ(c0, c1);
  const auto& p = sim.profile();
  const std::size_t n = 600, bins = p.n_bins();
  std::vector<std::complex<double>> sum(bins);
  std::vector<double> sum2(bins);
  double gain2 = 0;
  for (std::size_t t = 0; t < n; ++t) {
    const auto& f = sim.step()[0];
    gain2 = std::pow(10.0, f.packet.gain_db / 10);
    for (std::size_t b = 0; b < bins; ++b) {
      sum[b] += f.packet.value[b];
      sum2[b] += std::norm(f.packet.value[b]);
    }
  }
  double ratio = 0;
  int used = 0;
  for (std::size_t b = 0; b < bins; ++b) {
    if (p.is_null(b)) continue;
    const double var = (sum2[b] - std::norm(sum[b]) / n) / (n - 1);  // temporal variance per bin
    ratio += var / (gain2 * sim.hardware(0).noise_variance());
    ++used;
  }
  ratio /= used;
  std::printf("empty room: temporal variance / noise variance = %.4f over %d bins x %zu packets\n", ratio, used, n);
  EXPECT_NEAR(ratio, 1.0, 0.03);  // 6×10⁴ samples: 1σ of the estimate ≈ 0.004
}

TEST(Simulator, RubbleLowersTheSurvivorPathByTheConfiguredDb) {
  Scene s = make_scene("rubble", 1);
  s.furniture.clear();
  auto& v = s.survivors.at(0);
  v.vitals.breathing_bpm = 0;  // chest at rest: its position is known exactly
  v.vitals.heart_bpm = 0;
  const Pose pose = place_pose(lying_pose(v.height_m), v.heading_rad, v.position);
  const Vec3 chest = chest_of(pose, v.body).position;
  // Transmitter and receiver straight above the chest: each leg crosses (top − chest.z) of debris.
  const auto& box = s.rubble.at(0).box;
  s.nodes.resize(1);
  s.nodes[0].links = {{0, chest + Vec3{0, 0, 3.0}, chest + Vec3{0, 0, 4.0}}};
  const double db_per_m = s.rubble[0].attenuation_db_per_m;
  const double expected_db = db_per_m * 2 * (box.max.z - chest.z);
  Scene clear = s;
  clear.rubble.clear();
  const Simulator with(std::move(s), ideal()), without(std::move(clear), ideal());
  const auto pw = with.paths(0, 0, 0, 0, 0.0), po = without.paths(0, 0, 0, 0, 0.0);
  ASSERT_EQ(pw.size(), po.size());
  // Paths: LOS, floor (open site), then the body, chest first.
  const std::size_t chest_path = 2;
  EXPECT_NEAR(pw[chest_path].length_m, 3.0 + 4.0, 1e-12);
  const double measured_db = 20 * std::log10(po[chest_path].gain / pw[chest_path].gain);
  std::printf("rubble: survivor chest path loss %.6f dB, configured %.1f dB/m x %.4f m = %.6f dB\n", measured_db,
              db_per_m, 2 * (box.max.z - chest.z), expected_db);
  EXPECT_NEAR(measured_db, expected_db, 1e-9);
  // The line of sight above the pile is not attenuated.
  EXPECT_DOUBLE_EQ(pw[0].gain, po[0].gain);
}

TEST(Simulator, DefaultScenePersonEntersWalksSitsAndBreathes) {
  Simulator sim(make_scene("default", 1), {});
  EXPECT_EQ(sim.scene().nodes.size(), 3u);
  auto at = [&](double t) { return sim.people_at(t).at(0).body; };
  EXPECT_FALSE(at(1.0).present);
  EXPECT_EQ(at(3.0).activity, Activity::walking);
  EXPECT_NEAR(at(3.0).speed_m_s, 1.0, 1e-12);
  EXPECT_EQ(at(60.0).activity, Activity::sitting);
  EXPECT_LT(at(60.0).pose[kLeftHip].z, 0.6);
  EXPECT_GT(at(1.0).pose.size(), 0u);
  const auto gt = make_ground_truth(sim, 60.0);
  EXPECT_EQ(gt.scene(), "default");
  EXPECT_EQ(gt.person_count(), 1u);
  ASSERT_EQ(gt.persons(0).keypoints_size(), 17);
  EXPECT_DOUBLE_EQ(gt.persons(0).breathing_bpm(), 14.0);
  const auto j = nlohmann::json::parse(ground_truth_json(gt, 60.0));
  EXPECT_EQ(j["persons"][0]["activity"], "sitting");
  EXPECT_EQ(j["persons"][0]["keypoints"].size(), 17u);
  EXPECT_EQ(make_ground_truth(sim, 1.0).person_count(), 0u);
}

TEST(Simulator, RubbleTruthListsTheSurvivor) {
  Simulator sim(make_scene("rubble", 1), {});
  const auto gt = make_ground_truth(sim, 5.0);
  ASSERT_EQ(gt.survivors_size(), 1);
  EXPECT_EQ(gt.survivors(0).movement(), v1::MOVEMENT_CLASS_NONE);
  EXPECT_GT(gt.survivors(0).breathing_bpm(), 0);
  EXPECT_GT(gt.survivors(0).depth_m(), 0);
}

TEST(Simulator, MultiSceneFallAndLeave) {
  Simulator sim(make_scene("multi", 1), {});
  const auto late = sim.people_at(60.0);
  EXPECT_FALSE(late[0].body.present);  // walked out
  EXPECT_EQ(late[1].body.activity, Activity::fallen);
  EXPECT_LT(late[1].body.pose[kNose].z, 0.5);
}

TEST(Simulator, SceneFileOverridesABuiltInScene) {
  const auto path = std::filesystem::temp_directory_path() / "csi_sim_scene_test.json";
  std::ofstream(path) << R"({"base": "empty", "name": "lab",
    "nodes": [{"id": "esp32-7", "esp_node_id": 7, "links": [{"tx": [0.5, 0.5, 2.0], "rx": [5.0, 4.0, 1.0]}]}],
    "people": [{"id": 3, "start": [1, 1], "vitals": {"breathing_bpm": 18},
                "steps": [{"activity": "walking", "waypoints": [[4, 1]], "speed_m_s": 1.5}, {"activity": "fallen"}]}]})";
  const Scene s = load_scene_file(path.string(), 1);
  std::filesystem::remove(path);
  EXPECT_EQ(s.name, "lab");
  ASSERT_EQ(s.nodes.size(), 1u);
  EXPECT_EQ(s.nodes[0].esp_node_id, 7);
  ASSERT_EQ(s.people.size(), 1u);
  EXPECT_DOUBLE_EQ(s.people[0].vitals.breathing_bpm, 18);
  EXPECT_NEAR(script_duration(s.people[0].motion), 2.0, 1e-12);
  EXPECT_FALSE(s.furniture.empty());  // kept from the base scene
}

}  // namespace
}  // namespace wdp::sim
