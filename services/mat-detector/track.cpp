#include "track.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wdp::mat {
namespace {

bool live(const Track& t) { return t.state == v1::TRACK_STATE_TENTATIVE || t.state == v1::TRACK_STATE_ACTIVE; }

// Cost of pairing; +inf outside the gate.
double pair_cost(const Track& t, const Observation& o, double gate_m, double rate_gate, bool single_in_zone) {
  double cost = 0;
  if (o.x && t.localised) {
    const double d = std::hypot(*o.x - t.x, *o.y - t.y);
    const double gate = gate_m + t.uncertainty_m + o.uncertainty_m;
    // Outside the gate only for the zone's single track at the same breathing rate (within half
    // the rate gate): a localization jump is likelier than a second survivor breathing in step.
    const bool same_rate = t.breathing_bpm > 0 && o.vitals.breathing_bpm() > 0 &&
                           std::abs(t.breathing_bpm - o.vitals.breathing_bpm()) <= rate_gate / 2;
    if (d > gate && !(single_in_zone && same_rate)) return std::numeric_limits<double>::infinity();
    cost += std::min(d / gate, 2.0);
  } else if (!single_in_zone) {
    return std::numeric_limits<double>::infinity();  // no position: only the zone's single track
  }
  if (t.breathing_bpm > 0 && o.vitals.breathing_bpm() > 0) {
    const double dr = std::abs(t.breathing_bpm - o.vitals.breathing_bpm());
    if (dr > rate_gate) return std::numeric_limits<double>::infinity();
    cost += dr / rate_gate;
  }
  return cost;
}

}  // namespace

void Tracker::hit(Track& t, const Observation& o, std::int64_t now_ns) {
  t.hits++;
  t.misses = 0;
  t.last_hit_ns = now_ns;
  if (o.x) {
    if (!t.localised) {
      t.x = *o.x, t.y = *o.y, t.depth_m = o.depth_m, t.uncertainty_m = o.uncertainty_m;
      t.localised = true;
    } else {
      // Inverse-variance fusion of the track's estimate and the new one; the track's variance is
      // floored at a quarter of the observation's so a stale estimate keeps following new evidence.
      const double vt = std::max(t.uncertainty_m * t.uncertainty_m, 0.25 * o.uncertainty_m * o.uncertainty_m) + 1e-6;
      const double vo = o.uncertainty_m * o.uncertainty_m + 1e-6;
      const double w = vt / (vt + vo);
      t.x += w * (*o.x - t.x);
      t.y += w * (*o.y - t.y);
      t.depth_m += w * (o.depth_m - t.depth_m);
      t.uncertainty_m = std::sqrt(vt * vo / (vt + vo));
    }
  }
  if (o.vitals.breathing_bpm() > 0) {
    t.breathing_bpm = t.breathing_bpm > 0 ? 0.7 * t.breathing_bpm + 0.3 * o.vitals.breathing_bpm() : o.vitals.breathing_bpm();
  }
  if (t.state == v1::TRACK_STATE_TENTATIVE && t.hits >= p_.birth_hits) t.state = v1::TRACK_STATE_ACTIVE;
  if (t.state == v1::TRACK_STATE_LOST) {
    t.state = v1::TRACK_STATE_ACTIVE;
    t.lost_since_ns = 0;
  }
}

TrackUpdate Tracker::update(const std::string& zone_id, const std::vector<Observation>& obs, std::int64_t now_ns,
                            const std::string& id_prefix) {
  TrackUpdate u;
  std::vector<std::size_t> cand;
  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    if (tracks_[i].zone_id == zone_id && live(tracks_[i])) cand.push_back(i);
  }
  std::vector<bool> t_used(tracks_.size(), false), o_used(obs.size(), false);
  // Greedy: repeatedly take the cheapest feasible pair.
  for (;;) {
    double best = std::numeric_limits<double>::infinity();
    std::size_t bt = 0, bo = 0;
    for (std::size_t ti : cand) {
      if (t_used[ti]) continue;
      for (std::size_t oi = 0; oi < obs.size(); ++oi) {
        if (o_used[oi]) continue;
        const double c = pair_cost(tracks_[ti], obs[oi], p_.gate_m, p_.rate_gate_bpm, cand.size() == 1);
        if (c < best) best = c, bt = ti, bo = oi;
      }
    }
    if (!std::isfinite(best)) break;
    t_used[bt] = o_used[bo] = true;
    hit(tracks_[bt], obs[bo], now_ns);
    u.matched.emplace_back(bt, bo);
    u.changed.push_back(bt);
  }
  // Re-identification of Lost tracks of the zone by position and breathing rate.
  for (std::size_t oi = 0; oi < obs.size(); ++oi) {
    if (o_used[oi]) continue;
    double best = std::numeric_limits<double>::infinity();
    std::size_t bt = 0;
    for (std::size_t ti = 0; ti < tracks_.size(); ++ti) {
      auto& t = tracks_[ti];
      if (t.zone_id != zone_id || t.state != v1::TRACK_STATE_LOST) continue;
      const double c = pair_cost(t, obs[oi], p_.reid_m, p_.rate_gate_bpm, false);
      if (c < best) best = c, bt = ti;
    }
    if (std::isfinite(best)) {
      o_used[oi] = true;
      t_used[bt] = true;
      hit(tracks_[bt], obs[oi], now_ns);
      u.matched.emplace_back(bt, oi);
      u.changed.push_back(bt);
    }
  }
  // Misses of the zone's live tracks.
  for (std::size_t ti : cand) {
    if (t_used[ti]) continue;
    auto& t = tracks_[ti];
    t.misses++;
    if (t.state == v1::TRACK_STATE_TENTATIVE && t.misses >= p_.tentative_misses) {
      t.state = v1::TRACK_STATE_TERMINATED;
      u.changed.push_back(ti);
    } else if (t.state == v1::TRACK_STATE_ACTIVE && t.misses >= p_.active_misses) {
      t.state = v1::TRACK_STATE_LOST;
      t.lost_since_ns = now_ns;
      u.changed.push_back(ti);
    }
  }
  // Births.
  for (std::size_t oi = 0; oi < obs.size(); ++oi) {
    if (o_used[oi]) continue;
    Track t;
    t.id = id_prefix + std::to_string(next_id_++);
    t.zone_id = zone_id;
    t.first_ns = now_ns;
    tracks_.push_back(std::move(t));
    hit(tracks_.back(), obs[oi], now_ns);
    u.matched.emplace_back(tracks_.size() - 1, oi);
    u.changed.push_back(tracks_.size() - 1);
  }
  return u;
}

std::vector<std::size_t> Tracker::expire(std::int64_t now_ns) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    auto& t = tracks_[i];
    if (t.state == v1::TRACK_STATE_LOST && now_ns - t.lost_since_ns > static_cast<std::int64_t>(p_.lost_max_age_s * 1e9)) {
      t.state = v1::TRACK_STATE_TERMINATED;
      out.push_back(i);
    }
  }
  return out;
}

bool Tracker::mark_rescued(const std::string& id) {
  for (auto& t : tracks_) {
    if (t.id == id && t.state != v1::TRACK_STATE_TERMINATED && t.state != v1::TRACK_STATE_RESCUED) {
      t.state = v1::TRACK_STATE_RESCUED;
      return true;
    }
  }
  return false;
}

std::size_t Tracker::drop_zone(const std::string& zone_id) {
  const auto n = tracks_.size();
  std::erase_if(tracks_, [&](const Track& t) { return t.zone_id == zone_id; });
  return n - tracks_.size();
}

}  // namespace wdp::mat
