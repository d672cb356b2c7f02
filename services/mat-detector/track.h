#pragma once
// Survivor tracks (mat-reference §7, with its defects removed): every scan cycle's observations go
// through the tracker, and only a track that reaches `birth_hits` becomes a survivor, so one buried
// person gives one survivor however many cycles see them.
//
// Lifecycle: Tentative --hit × birth_hits--> Active --miss × active_misses--> Lost --hit/re-ID--> Active;
// Tentative --miss × tentative_misses--> Terminated; Lost --older than lost_max_age_s--> Terminated;
// any non-terminal --operator--> Rescued. Terminated and Rescued are final.
// Association: greedy on the smallest cost among pairs within the gate (distance ≤ gate_m plus both
// uncertainty radii, and breathing rates within rate_gate_bpm when both have one); cost = distance/gate
// + |Δrate|/rate_gate. An observation without a position, or one outside the gate at the same rate
// (within rate_gate/2), may match only the single live track of its zone.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

struct TrackParams {
  int birth_hits = 3;              // consistent evidence over three scan cycles
  int tentative_misses = 2;        // a tentative track survives one missed cycle
  int active_misses = 12;          // consecutive misses Active → Lost (a minute at a 5 s hop)
  double lost_max_age_s = 600;     // re-identification window
  double gate_m = 1.5;
  double rate_gate_bpm = 6;
  double reid_m = 2.0;             // re-ID: position within this (plus uncertainties)
};

struct Observation {
  std::string zone_id;
  std::optional<double> x, y;      // absent: not localised
  double depth_m = 0;
  double uncertainty_m = 0;        // ~90 % radius
  v1::VitalSample vitals;
};

struct Track {
  std::string id;                  // also the survivor id
  std::string zone_id;
  v1::TrackState state = v1::TRACK_STATE_TENTATIVE;
  int hits = 0, misses = 0;
  std::int64_t first_ns = 0, last_hit_ns = 0, lost_since_ns = 0;
  bool localised = false;
  double x = 0, y = 0, depth_m = 0, uncertainty_m = 0;
  double breathing_bpm = 0;        // exponential average of the detected rate (fingerprint)
};

struct TrackUpdate {
  std::vector<std::size_t> changed;        // indices into tracks() whose state or data changed
  std::vector<std::pair<std::size_t, std::size_t>> matched;  // (track, observation)
};

class Tracker {
 public:
  explicit Tracker(TrackParams p = {}) : p_(p) {}
  // One scan cycle of one zone: associates, updates, births and ages the zone's tracks.
  TrackUpdate update(const std::string& zone_id, const std::vector<Observation>& obs, std::int64_t now_ns,
                     const std::string& id_prefix);
  // Ages Lost tracks of every zone; returns the indices that became Terminated.
  std::vector<std::size_t> expire(std::int64_t now_ns);
  bool mark_rescued(const std::string& id);
  // Drops every track of a zone (zone deleted); returns how many went.
  std::size_t drop_zone(const std::string& zone_id);

  std::vector<Track>& tracks() { return tracks_; }
  const std::vector<Track>& tracks() const { return tracks_; }
  void restore(Track t) { tracks_.push_back(std::move(t)); }
  std::uint64_t next_id() const { return next_id_; }
  void set_next_id(std::uint64_t n) { next_id_ = n; }
  const TrackParams& params() const { return p_; }

 private:
  void hit(Track& t, const Observation& o, std::int64_t now_ns);

  TrackParams p_;
  std::vector<Track> tracks_;
  std::uint64_t next_id_ = 1;
};

}  // namespace wdp::mat
