#include "dataset_plan.h"

namespace wdp::pose {

const char* split_name(Split s) {
  switch (s) {
    case Split::train: return "train";
    case Split::val: return "val";
    case Split::test_room: return "test_room";
    case Split::test_subject: return "test_subject";
  }
  return "?";
}

std::vector<PlannedEpisode> plan_episodes(const PlanOptions& o) {
  // Room ids: train [0, R), val [R, R+V), test [R+V, R+V+T); subject ids: train [0, S), test [S, S+St).
  // Seeds are ids offset per role by the run seed, so a different --seed gives other rooms.
  const std::uint64_t base = o.seed * 1000003ull;
  std::vector<PlannedEpisode> out;
  std::uint64_t script = base;
  auto add = [&](Split split, int room, int subject) {
    out.push_back({split, base + 1 + static_cast<std::uint64_t>(room), base + 500001 + static_cast<std::uint64_t>(subject),
                   ++script, room, subject});
  };
  int k = 0;
  for (int r = 0; r < o.train_rooms; ++r)
    for (int e = 0; e < o.episodes_per_room; ++e) add(Split::train, r, k++ % o.train_subjects);
  for (int r = 0; r < o.val_rooms; ++r) add(Split::val, o.train_rooms + r, k++ % o.train_subjects);
  for (int r = 0; r < o.test_rooms; ++r) add(Split::test_room, o.train_rooms + o.val_rooms + r, k++ % o.train_subjects);
  for (int e = 0; e < o.test_subject_episodes; ++e)
    add(Split::test_subject, e % o.train_rooms, o.train_subjects + e % o.test_subjects);
  return out;
}

}  // namespace wdp::pose
