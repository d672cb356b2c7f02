#include "survivor_detector.h"

#include <algorithm>
#include <cmath>

namespace wdp::mat {

SurvivorDetector::SurvivorDetector(Site site, DetectorParams p)
    : site_(std::move(site)), p_(p), analyzer_([&] {
        auto a = p.analyzer;
        a.rate_hz = p.stream.rate_hz;
        return a;
      }()) {}

void SurvivorDetector::push(const v1::CsiFrame& frame) {
  auto [it, _] = streams_.try_emplace({frame.node_id(), frame.link_id()}, p_.stream);
  if (it->second.push(frame)) newest_ns_ = std::max(newest_ns_, it->second.last_time_ns());
}

std::optional<ScanResult> SurvivorDetector::scan(const v1::ScanZone& zone, std::int64_t now_ns) {
  std::vector<const LinkStream*> streams;
  std::vector<int> site_links;
  std::int64_t first = 0;
  for (const auto& [key, s] : streams_) {
    if (std::find(zone.node_ids().begin(), zone.node_ids().end(), key.first) == zone.node_ids().end()) continue;
    if (s.samples().empty()) continue;
    streams.push_back(&s);
    site_links.push_back(site_.find(key.first, key.second));
    const auto t0 = s.samples().front().time_ns;
    first = first ? std::min(first, t0) : t0;
  }
  if (streams.empty()) return std::nullopt;
  auto& next = next_scan_ns_[zone.zone_id()];
  const auto window_ns = static_cast<std::int64_t>(p_.analyzer.window_s * 1e9);
  if (next == 0) next = first + window_ns;  // first full window
  if (now_ns < next) return std::nullopt;
  const std::int64_t end = now_ns;
  next = end + static_cast<std::int64_t>(p_.hop_s * 1e9);
  ScanResult r;
  r.end_ns = end;
  r.evidence = analyzer_.analyze(streams, site_links, end);
  const auto& ev = r.evidence;
  if (!ev.usable || ev.breathing.confidence < p_.breathing_min_confidence) {
    averaged_.erase(zone.zone_id());
    return r;
  }
  // Gross movement in the window (rescuers walking past, or the survivor moving) swamps the
  // millimetre breathing signal: such windows give no breathing evidence either way.
  // The survivor's own movement (seen on its breathing channels only) is evidence, not noise.
  if (ev.gross_movement && p_.skip_moving_windows) return r;
  Observation o;
  o.zone_id = zone.zone_id();
  o.vitals.set_time_ns(end);
  o.vitals.set_breathing_bpm(ev.breathing.rate_per_min);
  o.vitals.set_breathing_confidence(ev.breathing.confidence);
  if (ev.heart.confidence >= p_.heart_min_confidence) {
    o.vitals.set_heart_bpm(ev.heart.rate_per_min);
    o.vitals.set_heart_confidence(ev.heart.confidence);
  }
  o.vitals.set_movement(ev.movement);
  auto& avg = averaged_[zone.zone_id()];
  if (std::abs(avg.rate_bpm - ev.breathing.rate_per_min) > p_.evidence_reset_bpm) avg.power.clear(), avg.cov.clear();
  avg.rate_bpm = ev.breathing.rate_per_min;
  std::vector<LinkEvidence> links = ev.links;
  for (auto& l : links) {
    const double noise_pow = l.noise * l.noise;
    const double alpha = p_.evidence_alpha;
    auto [it, fresh] = avg.power.try_emplace(l.site_link, l.signal_power, noise_pow);
    if (!fresh) {
      it->second.first += alpha * (l.signal_power - it->second.first);
      it->second.second += alpha * (noise_pow - it->second.second);
    }
    // The tone covariance does not depend on the breathing phase of the window: it averages too.
    auto [ct, cfresh] = avg.cov.try_emplace(l.site_link, l.tone_cov);
    if (!cfresh && ct->second.size() == l.tone_cov.size()) {
      for (std::size_t i = 0; i < l.tone_cov.size(); ++i) ct->second[i] += alpha * (l.tone_cov[i] - ct->second[i]);
    } else {
      ct->second = l.tone_cov;
    }
    l.tone_cov = ct->second;
    l.signal_power = it->second.first;
    l.noise = std::sqrt(it->second.second);
    l.modulation = std::sqrt(std::max(it->second.first - it->second.second, 0.0));
  }
  r.fix = localize(site_, zone, links, p_.localizer);
  r.localized_links = links;
  if (auto& fix = r.fix) {
    if (fix->inside < p_.min_inside) return r;  // breathing next to the zone, not in it
    o.x = fix->x, o.y = fix->y;
    o.depth_m = fix->depth_m;
    o.uncertainty_m = fix->radius_m;
  }
  r.observations.push_back(std::move(o));
  return r;
}

}  // namespace wdp::mat
