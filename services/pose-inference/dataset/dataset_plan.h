#pragma once
// Which episodes a simulator dataset holds and which split each belongs to. Rooms and subjects
// are drawn from disjoint seed ranges per role, so:
//   train        - train rooms x train subjects
//   val          - val rooms (unseen by training) x train subjects, for early stopping
//   test_room    - test rooms (never seen) x train subjects: cross-room generalisation
//   test_subject - train rooms x test subjects (never seen): cross-subject generalisation
#include <cstdint>
#include <string>
#include <vector>

namespace wdp::pose {

enum class Split : std::uint8_t { train = 0, val = 1, test_room = 2, test_subject = 3 };
const char* split_name(Split s);

struct PlanOptions {
  int train_rooms = 40, val_rooms = 6, test_rooms = 10;
  int train_subjects = 12, test_subjects = 4;
  int episodes_per_room = 2;        // per train room; val/test rooms get one each per subject cycle
  int test_subject_episodes = 8;
  std::uint64_t seed = 1;
};

struct PlannedEpisode {
  Split split = Split::train;
  std::uint64_t room_seed = 0, subject_seed = 0, script_seed = 0;
  int room = 0, subject = 0;        // ids unique over the whole dataset
};

std::vector<PlannedEpisode> plan_episodes(const PlanOptions& o);

}  // namespace wdp::pose
