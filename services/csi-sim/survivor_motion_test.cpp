// Scripted survivor movement and vital patterns, against hand-computed positions and values.
#include "survivor_motion.h"

#include <gtest/gtest.h>

#include <cmath>

#include "geometry.h"
#include "vitals.h"

namespace wdp::sim {
namespace {

Pose rest() { return place_pose(lying_pose(1.7), 0.3, {3.0, 3.6, 0.6}); }

// Vertical displacement of keypoint k between two poses.
double dz(const Pose& a, const Pose& b, int k) { return a[k].z - b[k].z; }

TEST(SurvivorMotion, NoneKeepsTheLyingPose) {
  const SurvivorMotion m(rest(), v1::MOVEMENT_CLASS_NONE, 1);
  for (double t : {0.0, 3.3, 17.0}) {
    const auto p = m.at(t);
    for (int k = 0; k < kKeypointCount; ++k) EXPECT_EQ(p[k].z, rest()[k].z);
  }
}

TEST(SurvivorMotion, TremorShakesTheForearmsOneMillimetreAtThreeAndAHalfHertz) {
  const SurvivorMotion m(rest(), v1::MOVEMENT_CLASS_TREMOR, 1);
  const double quarter = 1.0 / (4 * SurvivorMotion::kTremorHz);  // sin = 1
  EXPECT_NEAR(dz(m.at(quarter), rest(), kRightWrist), 1e-3, 1e-12);
  EXPECT_NEAR(dz(m.at(quarter), rest(), kLeftElbow), 0.5e-3, 1e-12);
  EXPECT_NEAR(dz(m.at(3 * quarter), rest(), kLeftWrist), -1e-3, 1e-12);
  EXPECT_EQ(dz(m.at(quarter), rest(), kNose), 0.0);
}

TEST(SurvivorMotion, VoluntaryRaisesTheArmOnceEveryCycle) {
  const SurvivorMotion m(rest(), v1::MOVEMENT_CLASS_VOLUNTARY, 42);
  // Sample two cycles at 10 ms: exactly two raises, each peaking at 25 cm (wrist) and 12 cm (elbow).
  int raises = 0;
  double top = 0, elbow_top = 0;
  bool up = false;
  for (double t = 0; t < 2 * SurvivorMotion::kCycleS; t += 0.01) {
    const auto p = m.at(t);
    const double w = dz(p, rest(), kRightWrist);
    top = std::max(top, w);
    elbow_top = std::max(elbow_top, dz(p, rest(), kRightElbow));
    if (!up && w > 0.2) ++raises;
    up = w > 0.2;
    EXPECT_EQ(dz(p, rest(), kLeftWrist), 0.0);
  }
  EXPECT_EQ(raises, 2);
  EXPECT_NEAR(top, 0.25, 1e-3);
  EXPECT_NEAR(elbow_top, 0.12, 1e-3);
}

TEST(SurvivorMotion, PeriodicTapsNineTimesPerCycle) {
  const SurvivorMotion m(rest(), v1::MOVEMENT_CLASS_PERIODIC, 5);
  int taps = 0;
  bool up = false;
  for (double t = 0; t < SurvivorMotion::kCycleS; t += 0.005) {
    const double w = dz(m.at(t), rest(), kRightWrist);
    EXPECT_GE(w, 0.0);
    EXPECT_LE(w, 0.03 + 1e-12);
    if (!up && w > 0.025) ++taps;
    up = w > 0.025;
  }
  // 9 taps per 7.5 s burst; a cycle window can cut one burst in two but never adds taps.
  EXPECT_EQ(taps, 9);
}

TEST(ScriptedVitals, StopFadesBreathingAndHeartbeatOutOverTwoSeconds) {
  VitalsModel v({.breathing_bpm = 12, .breathing_depth_mm = 4, .irregularity = 0, .heart_bpm = 70, .heart_depth_mm = 0.3,
                 .stop_s = 30},
                3);
  EXPECT_EQ(v.envelope(29.9), 1.0);
  EXPECT_DOUBLE_EQ(v.envelope(31.0), 0.5);
  EXPECT_EQ(v.envelope(32.0), 0.0);
  for (double t = 32; t < 60; t += 0.37) EXPECT_EQ(v.displacement_m(t), 0.0);
}

TEST(ScriptedVitals, RateDriftShiftsTheBreathingPhaseByPiKTSquared) {
  // Without irregularity φ(t) = 2π(f0 t + k t²/2) + φ0: compare a drifting and a steady model.
  const VitalsParams steady{.breathing_bpm = 20, .breathing_depth_mm = 4, .irregularity = 0, .heart_bpm = 0};
  VitalsParams drift = steady;
  drift.rate_change_bpm_per_min = -6;  // 20 → 14 BPM over a minute
  const VitalsModel a(steady, 9), b(drift, 9);
  // Zero crossings of the breathing wave: displacement 0 means φ ≡ 0 (mod 2π). Count exhalation
  // minima over 60 s: steady 20, drifting ∫(20 − 6 t/60)/60 dt over 60 s = 17 breaths.
  const auto minima = [](const VitalsModel& m) {
    int n = 0;
    double prev2 = m.breathing_m(0), prev = m.breathing_m(0.01);
    for (double t = 0.02; t < 60; t += 0.01) {
      const double x = m.breathing_m(t);
      if (prev < prev2 && prev <= x) ++n;
      prev2 = prev;
      prev = x;
    }
    return n;
  };
  EXPECT_NEAR(minima(a), 20, 1);
  EXPECT_NEAR(minima(b), 17, 1);
}

}  // namespace
}  // namespace wdp::sim
