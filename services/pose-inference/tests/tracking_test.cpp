// Tracker, window joining and the body frame, against hand-worked values.
#include <gtest/gtest.h>

#include <cmath>

#include "body_frame.h"
#include "pose_tracker.h"
#include "window_aligner.h"

namespace wdp::pose {
namespace {

RawPerson at_height(float z) {
  RawPerson p;
  for (auto& k : p.keypoints) k = {0, 0, z};
  p.score = 0.9f;
  return p;
}

TEST(PoseTracker, StableIdsWhenDetectionOrderSwaps) {
  PoseTracker t({.gate_m = 0.3, .smoothing = 1.0, .max_missed = 1});
  auto a = t.update({at_height(0.5f), at_height(1.5f)});
  ASSERT_EQ(a.size(), 2u);
  const auto low = a[0].person.keypoints[0][2] < 1 ? a[0].track_id : a[1].track_id;
  auto b = t.update({at_height(1.45f), at_height(0.55f)});  // swapped order, small motion
  ASSERT_EQ(b.size(), 2u);
  for (const auto& p : b) {
    if (p.person.keypoints[0][2] < 1) EXPECT_EQ(p.track_id, low);
    else EXPECT_NE(p.track_id, low);
  }
}

TEST(PoseTracker, SmoothingAndExpiry) {
  PoseTracker t({.gate_m = 1.0, .smoothing = 0.25, .max_missed = 1});
  const auto first = t.update({at_height(1.0f)});
  const auto second = t.update({at_height(2.0f)});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].track_id, first[0].track_id);
  EXPECT_NEAR(second[0].person.keypoints[3][2], 0.25 * 2.0 + 0.75 * 1.0, 1e-6);  // 1.25
  EXPECT_TRUE(t.update({}).empty());  // missed once: kept, not reported
  EXPECT_EQ(t.live_tracks(), 1u);
  t.update({});                        // missed twice: dropped
  EXPECT_EQ(t.live_tracks(), 0u);
  const auto again = t.update({at_height(1.0f)});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_GT(again[0].track_id, first[0].track_id);  // ids are not reused
}

TEST(PoseTracker, FarDetectionOpensANewTrack) {
  PoseTracker t({.gate_m = 0.2});
  const auto a = t.update({at_height(0.0f)});
  const auto b = t.update({at_height(1.0f)});
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(a[0].track_id, b[0].track_id);
}

TEST(WindowAligner, InterleavesLinksAndDropsUnmatchedWindows) {
  WindowAligner al(2, 1, 0.1);
  std::vector<float> w0(112), w1(112);
  for (int i = 0; i < 112; ++i) w0[i] = static_cast<float>(i), w1[i] = static_cast<float>(1000 + i);
  al.push(0, {0.0, w0});   // stale: node 1 has no window near t = 0
  al.push(0, {1.0, w0});
  EXPECT_FALSE(al.pop());
  al.push(1, {1.05, w1});
  const auto j = al.pop();
  ASSERT_TRUE(j);
  EXPECT_DOUBLE_EQ(j->t, 1.05);
  ASSERT_EQ(j->values.size(), 224u);
  EXPECT_EQ(j->values[0], 0.0f);
  EXPECT_EQ(j->values[112], 1000.0f);  // [T=0][L=1][bin 0][ch 0]
  EXPECT_FALSE(al.pop());
  EXPECT_THROW(al.push(0, {2.0, std::vector<float>(5)}), std::invalid_argument);
}

TEST(BodyFrame, UndoesHeadingAndHipPosition) {
  Keypoints3 body{};
  for (int j = 0; j < 17; ++j) body[j] = {0.01f * j, 0.02f * (j % 3), 0.1f * j};
  body[11] = {0, 0.1f, 1.0f};   // left hip
  body[12] = {0, -0.1f, 1.0f};  // right hip
  const double h = 0.8;
  Keypoints3 room{};
  for (int j = 0; j < 17; ++j) {
    const double x = body[j][0], y = body[j][1];
    room[j] = {static_cast<float>(std::cos(h) * x - std::sin(h) * y + 3.0), static_cast<float>(std::sin(h) * x + std::cos(h) * y + 2.0),
               body[j][2]};
  }
  EXPECT_NEAR(body_heading(room), h, 1e-6);
  const auto back = to_body_frame(room);
  for (int j = 0; j < 17; ++j)
    for (int d = 0; d < 3; ++d) EXPECT_NEAR(back[j][d], body[j][d], 1e-5) << j << "," << d;
}

}  // namespace
}  // namespace wdp::pose
