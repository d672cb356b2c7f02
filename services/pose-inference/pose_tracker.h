#pragma once
// Multi-person tracking with stable IDs: detections are assigned to live tracks greedily by the
// smallest mean joint distance under a gate (the cheapest pair first, which for the few persons
// per room equals the optimal assignment in all but contrived cases), matched tracks are smoothed
// with an exponential moving average, unmatched detections open new tracks, and tracks unseen
// for max_missed updates are dropped. IDs are never reused.
#include <array>
#include <cstdint>
#include <vector>

#include "inference_backend.h"

namespace wdp::pose {

struct TrackerParams {
  double gate_m = 0.6;        // largest mean joint distance for a match
  double smoothing = 0.5;     // weight of the new detection (1 = no smoothing)
  int max_missed = 4;         // updates a track survives without a detection
};

struct TrackedPerson {
  std::uint32_t track_id = 0;
  RawPerson person;           // smoothed
};

class PoseTracker {
 public:
  explicit PoseTracker(TrackerParams p = {}) : p_(p) {}
  std::vector<TrackedPerson> update(const std::vector<RawPerson>& detections);
  void reset() { tracks_.clear(); }
  std::size_t live_tracks() const { return tracks_.size(); }

 private:
  struct Track {
    std::uint32_t id;
    RawPerson person;
    int missed = 0;
  };
  TrackerParams p_;
  std::vector<Track> tracks_;
  std::uint32_t next_id_ = 1;
};

double mean_joint_distance(const RawPerson& a, const RawPerson& b);

}  // namespace wdp::pose
