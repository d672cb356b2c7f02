// The signal pipeline scored on simulated scenes with known truth (services/csi-sim): breathing
// and heart rate of a still person, and presence onset when someone walks in. SNR, depth and
// duration of each scenario are stated in the test; docs/signal-accuracy in README.md.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "frame_encoding.h"
#include "link_pipeline.h"
#include "scene.h"
#include "simulator.h"

namespace wdp::signal {
namespace {

struct ScenarioResult {
  std::vector<SensingResult> updates;
};

// Runs `seconds` of a scene through one link's pipeline (node 0, link 0), via the bus frame.
ScenarioResult run_scene(sim::Scene scene, double seconds, sim::HardwareParams hw, double rate_hz = 50) {
  ScenarioResult r;
  LinkPipeline pipeline(PipelineParams{}, [&](const SensingResult& s) { r.updates.push_back(s); }, nullptr);
  sim::Simulator simulator(std::move(scene), {.rate_hz = rate_hz, .seed = 7, .profile = "esp32-ht20", .hardware = hw});
  v1::CsiFrame frame;
  while (simulator.time_s() < seconds) {
    for (const auto& f : simulator.step()) {
      if (f.node != 0 || f.link_id != 0 || f.packet.lost) continue;
      sim::to_csi_frame(simulator, f, static_cast<std::int64_t>(f.time_s * 1e9), frame);
      pipeline.push(frame, f.time_s);
    }
  }
  return r;
}

sim::Scene still_person(double bpm, double heart_bpm, double depth_mm) {
  sim::Scene s = sim::make_scene("empty", 7);
  sim::PersonSpec p;
  p.motion.start = {3.0, 2.0, 0};
  p.motion.steps = {{.activity = sim::Activity::sitting, .duration_s = 1, .transition_s = 0.0}};
  p.vitals = {.breathing_bpm = bpm, .breathing_depth_mm = depth_mm, .irregularity = 0.0, .heart_bpm = heart_bpm,
              .heart_depth_mm = 0.3};
  s.people.push_back(p);
  return s;
}

TEST(Scenario, BreathingRateGrid6To30BpmWithinOneBpm) {
  // 40 dB SNR, AGC, CFO/STO and int8 quantization on; 5 mm chest depth; person 2 m from the link.
  const sim::HardwareParams hw{.snr_db = 40};
  double abs_err = 0;
  int n = 0;
  for (double bpm = 6; bpm <= 30; bpm += 3) {
    const auto r = run_scene(still_person(bpm, 70, 5), 45, hw);
    const auto& last = r.updates.back();
    std::printf("breathing truth %.1f -> %.2f (conf %.2f, valid %d), heart 70 -> %.1f (conf %.2f)\n", bpm,
                last.breathing.rate_per_min, last.breathing.confidence, last.breathing.valid, last.heart.rate_per_min,
                last.heart.confidence);
    EXPECT_TRUE(last.breathing.valid) << bpm;
    abs_err += std::abs(last.breathing.rate_per_min - bpm);
    ++n;
  }
  const double mae = abs_err / n;
  std::printf("breathing MAE over 6..30 BPM at 40 dB SNR, 5 mm depth, 45 s: %.2f BPM\n", mae);
  EXPECT_LE(mae, 1.0);
}

TEST(Scenario, PresenceOnsetWhenSomeoneWalksIn) {
  sim::Scene s = sim::make_scene("empty", 7);
  sim::PersonSpec p;
  p.motion.start = {0.3, 2.5, 0};
  p.motion.steps = {{.activity = sim::Activity::absent, .duration_s = 20},
                    {.activity = sim::Activity::walking, .waypoints = {{3, 2.5, 0}, {4.5, 1.5, 0}}, .speed_m_s = 1.0}};
  s.people.push_back(p);
  const auto r = run_scene(std::move(s), 30, {.snr_db = 30});
  int false_before = 0;
  double onset = -1;
  for (const auto& u : r.updates) {
    if (u.t > 5 && u.t < 20 && u.presence) {
      ++false_before;
      std::printf("  false presence at %.1f s: moving %d motion %.2f breathing %.1f/%.2f\n", u.t, u.moving, u.motion,
                  u.breathing.rate_per_min, u.breathing.confidence);
    }
    if (u.t >= 20 && u.presence && onset < 0) onset = u.t - 20;
  }
  std::printf("presence onset latency %.2f s, false presence before entry %d updates\n", onset, false_before);
  EXPECT_EQ(false_before, 0);
  ASSERT_GE(onset, 0);
  EXPECT_LT(onset, 0.5);
}

}  // namespace
}  // namespace wdp::signal
