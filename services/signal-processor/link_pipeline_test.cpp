#include "link_pipeline.h"

#include <gtest/gtest.h>

#include <random>

#include "test_frames.h"

namespace wdp::signal {
namespace {

using testing::make_frame;

// A room: static channel per subcarrier, receiver noise, optional breathing (a small periodic
// change of one reflected path) and optional motion (a large moving path), AGC gain jitter.
struct Room {
  std::mt19937 rng{5};
  std::normal_distribution<double> n01{0, 1};
  double noise = 0.05;
  v1::CsiFrame frame(double t, double breathing_bpm, double motion) {
    const double gain = 1 + 0.2 * std::sin(0.7 * t);
    const double chest = breathing_bpm > 0 ? 0.004 * std::sin(2 * M_PI * breathing_bpm / 60 * t) : 0;  // metres
    return make_frame(
        [&](int m) {
          const double f = 2.437e9 + m * 312.5e3;
          const double k = 2 * M_PI * f / 3e8;
          std::complex<double> h = std::polar(10.0, 0.3 * m) + std::polar(3.0, -k * (4.0 + 2 * chest));
          if (motion > 0) h += std::polar(3.0 * motion, -k * (5.0 + 1.2 * t));  // walking at 1.2 m/s
          h *= gain;
          return h + std::complex<double>(noise * n01(rng), noise * n01(rng));
        },
        t);
  }
};

struct Capture {
  std::vector<SensingResult> updates;
  std::size_t windows = 0;
  LinkPipeline pipeline{PipelineParams{}, [this](const SensingResult& r) { updates.push_back(r); },
                        [this](const FeatureWindowResult& w) {
                          ++windows;
                          EXPECT_EQ(w.values.size(), 64u * 56u * 2u);
                        }};
};

TEST(LinkPipeline, EmptyRoomHasNoPresence) {
  Room room;
  Capture run;
  std::mt19937 jitter(1);
  std::uniform_real_distribution<double> dt(0.015, 0.025);  // ~50 Hz, jittered
  for (double t = 0; t < 60; t += dt(jitter)) ASSERT_EQ(run.pipeline.push(room.frame(t, 0, 0), t), "");
  ASSERT_GT(run.updates.size(), 550u);  // 10 Hz of data time
  std::size_t present = 0;
  for (const auto& u : run.updates) {
    if (u.t > 5) present += u.presence;
  }
  EXPECT_EQ(present, 0u);
  EXPECT_TRUE(run.updates.back().calibrated);
  EXPECT_NEAR(run.updates.back().frame_rate_hz, 50, 3);
  EXPECT_GT(run.windows, 0u);
}

TEST(LinkPipeline, MotionIsDetectedWithinHalfASecond) {
  Room room;
  Capture run;
  for (double t = 0; t < 20; t += 0.02) run.pipeline.push(room.frame(t, 0, 0), t);
  const std::size_t before = run.updates.size();
  for (double t = 20; t < 25; t += 0.02) run.pipeline.push(room.frame(t, 0, 1.0), t);
  double onset = -1;
  for (std::size_t i = before; i < run.updates.size(); ++i) {
    if (run.updates[i].presence) {
      onset = run.updates[i].t - 20;
      break;
    }
  }
  ASSERT_GE(onset, 0);
  EXPECT_LT(onset, 0.5);
  EXPECT_TRUE(run.updates.back().moving);
  EXPECT_GT(run.updates.back().motion, 0.5);
}

TEST(LinkPipeline, BreathingRateOfAStillPerson) {
  for (double bpm : {8.0, 15.0, 24.0}) {
    Room room;
    Capture run;
    for (double t = 0; t < 45; t += 0.02) run.pipeline.push(room.frame(t, bpm, 0), t);
    const auto& last = run.updates.back();
    EXPECT_TRUE(last.breathing.valid) << bpm;
    EXPECT_NEAR(last.breathing.rate_per_min, bpm, 1.0) << bpm;
    EXPECT_TRUE(last.presence) << bpm;
  }
}

TEST(LinkPipeline, SurvivesClockJumpsGapsAndBadFrames) {
  Room room;
  Capture run;
  for (double t = 100; t < 110; t += 0.02) run.pipeline.push(room.frame(t, 0, 0), t);
  EXPECT_EQ(run.pipeline.push(room.frame(105, 0, 0), 105), "");  // clock went back 5 s: reset
  EXPECT_EQ(run.pipeline.clock_resets(), 1u);
  EXPECT_EQ(run.pipeline.push(room.frame(104.99, 0, 0), 104.99), "out_of_order");
  auto nan = room.frame(106, 0, 0);
  EXPECT_EQ(run.pipeline.push(nan, std::nan("")), "bad_timestamp");
  for (double t = 106; t < 108; t += 0.02) run.pipeline.push(room.frame(t, 0, 0), t);
  for (double t = 300; t < 302; t += 0.02) run.pipeline.push(room.frame(t, 0, 0), t);  // long gap
  // Changing subcarrier counts mid-stream (HT20 -> legacy ±26) keep working.
  for (double t = 302; t < 304; t += 0.02) {
    EXPECT_EQ(run.pipeline.push(make_frame([](int m) { return std::polar(10.0, 0.1 * m); }, t, -26, 26), t), "");
  }
  EXPECT_FALSE(run.updates.empty());
}

}  // namespace
}  // namespace wdp::signal
