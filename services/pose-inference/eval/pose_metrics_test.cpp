// Metric values checked against numbers worked out by hand (comments give the arithmetic).
#include <gtest/gtest.h>

#include <cmath>

#include "pose_metrics.h"

namespace wdp::pose::eval {
namespace {

// A non-planar skeleton: joint j at (0.1 j, 0.05 j^2 mod 0.7, 0.1 (j % 5)), torso joints placed
// so that |g6 - g11| = 1.
Skeleton base() {
  Skeleton s{};
  for (int j = 0; j < kJoints; ++j) s[j] = {0.1 * j, std::fmod(0.05 * j * j, 0.7), 0.1 * (j % 5)};
  s[6] = {0, 0, 1};
  s[11] = {0, 0, 0};
  return s;
}

TEST(PoseMetrics, TorsoPckCountsJointsWithinAlphaTimesTorso) {
  const Skeleton g = base();
  ASSERT_DOUBLE_EQ(torso_length(g), 1.0);
  Skeleton p = g;
  p[0].x += 0.15;  // within 0.2 x 1
  p[1].y += 0.25;  // outside 0.2, inside 0.5
  p[2].z += 0.6;   // outside both
  EXPECT_EQ(pck(p, g, 0.2, torso_length(g)).correct, 15u);  // 17 - joints 1 and 2
  EXPECT_EQ(pck(p, g, 0.5, torso_length(g)).correct, 16u);
  Skeleton partly = g;
  partly[2].labelled = false;  // unlabelled joints are not counted
  EXPECT_EQ(pck(p, partly, 0.5, 1.0).total, 16u);
  EXPECT_EQ(pck(p, partly, 0.5, 1.0).correct, 16u);
}

TEST(PoseMetrics, HeadSizeIsPointSixOfFaceBoxDiagonal) {
  Skeleton g{};
  g[0] = {0, 0, 0};
  g[1] = {0.3, 0, 0};
  g[2] = {0, 0.4, 0};
  g[3] = {0.3, 0.4, 0};
  g[4] = {0.1, 0.1, 0};
  EXPECT_NEAR(head_size(g), 0.6 * 0.5, 1e-12);  // box 0.3 x 0.4 x 0 -> diagonal 0.5
}

TEST(PoseMetrics, OksWithCocoKappaAndDeclaredArea) {
  Skeleton g{};
  for (auto& j : g) j = {0.5, 1.0, 0.25};
  g[0] = {0, 0, 0};
  g[1] = {1, 2, 0.5};  // box 1 x 2 x 0.5 -> area = 2 x 1 = 2
  EXPECT_DOUBLE_EQ(oks_area(g), 2.0);
  Skeleton p = g;
  p[5].x += 0.1;  // left_shoulder, sigma 0.079, kappa 0.158
  // exp(-0.01 / (2 * 2 * 0.158^2)) = exp(-0.1001442) = 0.9047068
  EXPECT_NEAR(oks(p, g), (16 + std::exp(-0.01 / (4 * 0.158 * 0.158))) / 17, 1e-12);
  EXPECT_NEAR(oks(p, g), 0.99439452, 1e-7);
  EXPECT_DOUBLE_EQ(oks(g, g), 1.0);
}

TEST(PoseMetrics, MpjpeIsMeanJointDistance) {
  const Skeleton g = base();
  Skeleton p = g;
  p[3].x += 0.17;  // one joint 0.17 m off -> 0.17 / 17 = 0.01
  EXPECT_NEAR(mpjpe(p, g), 0.01, 1e-12);
}

TEST(PoseMetrics, PaMpjpeRemovesRotationScaleTranslationButNotReflection) {
  const Skeleton g = base();
  Skeleton p = g;
  const double c = std::cos(0.7), s = std::sin(0.7);
  for (auto& j : p) j = {2.0 * (c * j.x - s * j.y) + 3, 2.0 * (s * j.x + c * j.y) - 1, 2.0 * j.z + 0.5};
  EXPECT_GT(mpjpe(p, g), 1.0);
  EXPECT_NEAR(pa_mpjpe(p, g), 0.0, 1e-9);
  Skeleton mirrored = g;
  for (auto& j : mirrored) j.x = -j.x;
  EXPECT_GT(pa_mpjpe(mirrored, g), 0.01);  // a reflection is not a rotation
}

TEST(PoseMetrics, OksApHandComputed) {
  const Skeleton g = base();
  Skeleton far = g;
  for (auto& j : far) j.x += 10;
  // Frame A: exact prediction (TP), frame B: far prediction (FP).
  std::vector<EvalFrame> frames{{{g}, {{g, 0.9}}}, {{g}, {{far, 0.8}}}};
  // TP first: recall 0.5 with precision 1 for recall points 0..0.50 (51 of 101) -> 51/101.
  EXPECT_NEAR(oks_ap(frames), 51.0 / 101.0, 1e-12);
  // FP ranked first: interpolated precision 0.5 up to recall 0.5 -> 0.5 * 51/101.
  frames[1].predictions[0].score = 0.95;
  EXPECT_NEAR(oks_ap(frames), 0.5 * 51.0 / 101.0, 1e-12);
  // No prediction at all: AP 0.
  frames[0].predictions.clear();
  frames[1].predictions.clear();
  EXPECT_DOUBLE_EQ(oks_ap(frames), 0.0);
}

}  // namespace
}  // namespace wdp::pose::eval
