// Dataset generation: disjoint cross-room / cross-subject splits, deterministic rooms, and an
// episode through the simulator + signal pipeline yielding windows paired with body-frame truth.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "dataset_plan.h"
#include "episode.h"
#include "scene_sampler.h"

namespace wdp::pose {
namespace {

TEST(DatasetPlan, SplitsAreDisjointByRoomAndSubject) {
  const auto eps = plan_episodes({.train_rooms = 5, .val_rooms = 2, .test_rooms = 3, .train_subjects = 4,
                                  .test_subjects = 2, .episodes_per_room = 2, .test_subject_episodes = 4});
  std::set<std::uint64_t> train_rooms, train_subjects, other_rooms, test_subjects;
  for (const auto& e : eps) {
    if (e.split == Split::train) train_rooms.insert(e.room_seed), train_subjects.insert(e.subject_seed);
    if (e.split == Split::val || e.split == Split::test_room) other_rooms.insert(e.room_seed);
    if (e.split == Split::test_subject) test_subjects.insert(e.subject_seed);
  }
  EXPECT_EQ(eps.size(), 5u * 2 + 2 + 3 + 4);
  EXPECT_EQ(train_rooms.size(), 5u);
  EXPECT_EQ(other_rooms.size(), 5u);
  for (auto r : other_rooms) EXPECT_FALSE(train_rooms.contains(r));
  for (auto s : test_subjects) EXPECT_FALSE(train_subjects.contains(s));
}

TEST(SceneSampler, RoomsAreDeterministicAndNodesInside) {
  const auto a = sample_room(42), b = sample_room(42), c = sample_room(43);
  EXPECT_EQ(a.room.width_m, b.room.width_m);
  EXPECT_NE(a.room.width_m, c.room.width_m);
  ASSERT_EQ(a.nodes.size(), 3u);
  for (const auto& n : a.nodes) {
    EXPECT_GT(n.links[0].rx.x, 0);
    EXPECT_LT(n.links[0].rx.x, a.room.width_m);
    EXPECT_GT(n.links[0].rx.y, 0);
    EXPECT_LT(n.links[0].rx.y, a.room.depth_m);
  }
}

TEST(Episode, WindowsPairedWithBodyFrameTruth) {
  EpisodeSpec spec{.room_seed = 3, .subject_seed = 4, .script_seed = 5, .duration_s = 10};
  std::size_t n = 0, present = 0;
  double last_t = -1;
  const auto links = run_episode(spec, [&](const Sample& s) {
    ++n;
    EXPECT_EQ(s.x.size(), spec.pipeline.feature_frames * 3 * 112);
    EXPECT_GT(s.t, last_t);
    last_t = s.t;
    if (!s.present) return;
    ++present;
    // Body frame: hips straddle the x axis symmetrically, z is unchanged from the room frame.
    EXPECT_NEAR(s.body[11][0], 0.0, 1e-4);
    EXPECT_NEAR(s.body[11][1], -s.body[12][1], 1e-4);
    EXPECT_GT(s.body[11][1], 0);  // left hip on the person's left (+y)
    EXPECT_FLOAT_EQ(s.body[0][2], s.room[0][2]);
  });
  EXPECT_EQ(links, 3u);
  // (10 s - 3.2 s of the first window) at one window per 0.5 s, minus the pipeline's start-up.
  EXPECT_GE(n, 10u);
  EXPECT_LE(n, 15u);
  EXPECT_GT(present, 0u);
}

}  // namespace
}  // namespace wdp::pose
