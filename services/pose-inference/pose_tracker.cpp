#include "pose_tracker.h"

#include <algorithm>
#include <cmath>

namespace wdp::pose {

double mean_joint_distance(const RawPerson& a, const RawPerson& b) {
  double s = 0;
  for (std::size_t j = 0; j < 17; ++j) {
    const auto& p = a.keypoints[j];
    const auto& q = b.keypoints[j];
    s += std::sqrt(std::pow(p[0] - q[0], 2) + std::pow(p[1] - q[1], 2) + std::pow(p[2] - q[2], 2));
  }
  return s / 17.0;
}

std::vector<TrackedPerson> PoseTracker::update(const std::vector<RawPerson>& dets) {
  struct Pair {
    double d;
    std::size_t track, det;
  };
  std::vector<Pair> pairs;
  for (std::size_t t = 0; t < tracks_.size(); ++t)
    for (std::size_t d = 0; d < dets.size(); ++d) {
      const double dist = mean_joint_distance(tracks_[t].person, dets[d]);
      if (dist <= p_.gate_m) pairs.push_back({dist, t, d});
    }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.d < b.d; });
  std::vector<int> det_track(dets.size(), -1);
  std::vector<bool> track_used(tracks_.size(), false);
  for (const auto& pr : pairs) {
    if (track_used[pr.track] || det_track[pr.det] >= 0) continue;
    track_used[pr.track] = true;
    det_track[pr.det] = static_cast<int>(pr.track);
  }
  const float w = static_cast<float>(p_.smoothing);
  for (std::size_t d = 0; d < dets.size(); ++d) {
    if (det_track[d] < 0) {
      tracks_.push_back({next_id_++, dets[d], 0});
      continue;
    }
    auto& tr = tracks_[static_cast<std::size_t>(det_track[d])];
    for (std::size_t j = 0; j < 17; ++j) {
      for (std::size_t c = 0; c < 3; ++c)
        tr.person.keypoints[j][c] = w * dets[d].keypoints[j][c] + (1 - w) * tr.person.keypoints[j][c];
      tr.person.confidence[j] = dets[d].confidence[j];
    }
    tr.person.score = dets[d].score;
    tr.missed = 0;
  }
  for (std::size_t t = 0; t < track_used.size(); ++t)
    if (!track_used[t]) ++tracks_[t].missed;
  std::erase_if(tracks_, [&](const Track& t) { return t.missed > p_.max_missed; });
  std::vector<TrackedPerson> out;
  for (const auto& t : tracks_)
    if (t.missed == 0) out.push_back({t.id, t.person});
  return out;
}

}  // namespace wdp::pose
