#include "mat_domain.h"

#include <algorithm>
#include <cstdio>

#include "zone_shape.h"

namespace wdp::mat {
namespace {

const char* triage_name(v1::TriageClass t) {
  switch (t) {
    case v1::TRIAGE_CLASS_IMMEDIATE: return "IMMEDIATE";
    case v1::TRIAGE_CLASS_DELAYED: return "DELAYED";
    case v1::TRIAGE_CLASS_MINOR: return "MINOR";
    case v1::TRIAGE_CLASS_DECEASED: return "DECEASED";
    default: return "UNKNOWN";
  }
}

// Trailing decimal number of an id ("survivor-12" → 12), 0 if none.
std::uint64_t id_number(const std::string& id) {
  const auto pos = id.find_last_not_of("0123456789");
  if (pos == std::string::npos || pos + 1 >= id.size()) return 0;
  return std::stoull(id.substr(pos + 1));
}

bool has_vitals(const v1::VitalSample& s) {
  return s.breathing_bpm() > 0 || s.heart_bpm() > 0 || s.movement() > v1::MOVEMENT_CLASS_NONE;
}

}  // namespace

MatDomain::MatDomain(DomainParams p) : p_(p), tracker_(p.tracks), alerts_(p.alerts) {}

std::string MatDomain::new_id(const char* kind) { return std::string(kind) + "-" + std::to_string(next_id_++); }

v1::MatCommandResult MatDomain::apply(const v1::MatCommand& cmd, std::int64_t now_ns) {
  v1::MatCommandResult res;
  res.set_command_id(cmd.command_id());
  auto fail = [&](std::string why) {
    res.set_ok(false);
    res.set_error(std::move(why));
    return res;
  };
  auto push = [&](auto setter) {
    v1::MatEvent e;
    setter(e);
    changes_.push_back(std::move(e));
  };
  std::string err;
  switch (cmd.action_case()) {
    case v1::MatCommand::kCreateEvent: {
      v1::DisasterEvent ev = cmd.create_event();
      if (ev.event_id().empty()) ev.set_event_id(new_id("event"));
      if (events_.contains(ev.event_id())) return fail("event '" + ev.event_id() + "' already exists");
      if (ev.started_ns() == 0) ev.set_started_ns(now_ns);
      ev.set_closed_ns(0);
      events_[ev.event_id()] = ev;
      res.set_assigned_id(ev.event_id());
      push([&](v1::MatEvent& e) { *e.mutable_event() = ev; });
      break;
    }
    case v1::MatCommand::kCloseEventId: {
      auto it = events_.find(cmd.close_event_id());
      if (it == events_.end()) return fail("unknown event '" + cmd.close_event_id() + "'");
      if (it->second.closed_ns() != 0) return fail("event '" + cmd.close_event_id() + "' is already closed");
      it->second.set_closed_ns(now_ns);
      push([&](v1::MatEvent& e) { *e.mutable_event() = it->second; });
      break;
    }
    case v1::MatCommand::kUpsertZone: {
      v1::ScanZone z = cmd.upsert_zone();
      auto ev = events_.find(z.event_id());
      if (ev == events_.end()) return fail("unknown event '" + z.event_id() + "'");
      if (ev->second.closed_ns() != 0) return fail("event '" + z.event_id() + "' is closed");
      if (auto e = zone_shape_error(z); !e.empty()) return fail("invalid zone: " + e);
      if (z.zone_id().empty()) z.set_zone_id(new_id("zone"));
      if (auto old = zones_.find(z.zone_id()); old != zones_.end() && old->second.event_id() != z.event_id()) {
        return fail("zone '" + z.zone_id() + "' belongs to event '" + old->second.event_id() + "'");
      }
      zones_[z.zone_id()] = z;
      res.set_assigned_id(z.zone_id());
      push([&](v1::MatEvent& e) { *e.mutable_zone() = z; });
      break;
    }
    case v1::MatCommand::kDeleteZoneId: {
      auto it = zones_.find(cmd.delete_zone_id());
      if (it == zones_.end()) return fail("unknown zone '" + cmd.delete_zone_id() + "'");
      // Its survivors end with the zone: published as Terminated, their alerts resolved.
      for (auto& t : tracker_.tracks()) {
        if (t.zone_id != it->first) continue;
        if (t.state == v1::TRACK_STATE_ACTIVE || t.state == v1::TRACK_STATE_LOST) {
          t.state = v1::TRACK_STATE_TERMINATED;
          emit_survivor(t);
        }
        if (auto a = alerts_.resolve_for_survivor(t.id)) push([&](v1::MatEvent& e) { *e.mutable_alert() = *a; });
        survivors_.erase(t.id);
      }
      tracker_.drop_zone(it->first);
      v1::ScanZone gone = it->second;
      gone.clear_node_ids();
      gone.clear_shape();  // a zone without a shape on the bus means "deleted"
      zones_.erase(it);
      push([&](v1::MatEvent& e) { *e.mutable_zone() = gone; });
      break;
    }
    case v1::MatCommand::kAcknowledgeAlertId: {
      auto a = alerts_.acknowledge(cmd.acknowledge_alert_id(), cmd.operator_(), err);
      if (!a) return fail(err);
      push([&](v1::MatEvent& e) { *e.mutable_alert() = *a; });
      break;
    }
    case v1::MatCommand::kResolveAlertId: {
      auto a = alerts_.resolve(cmd.resolve_alert_id(), cmd.operator_(), err);
      if (!a) return fail(err);
      push([&](v1::MatEvent& e) { *e.mutable_alert() = *a; });
      break;
    }
    case v1::MatCommand::kMarkRescuedSurvivorId: {
      const auto& id = cmd.mark_rescued_survivor_id();
      if (!survivors_.contains(id) || !tracker_.mark_rescued(id)) return fail("unknown or final survivor '" + id + "'");
      for (const auto& t : tracker_.tracks()) if (t.id == id) emit_survivor(t);
      if (auto a = alerts_.resolve_for_survivor(id)) push([&](v1::MatEvent& e) { *e.mutable_alert() = *a; });
      break;
    }
    default:
      return fail("command has no action");
  }
  res.set_ok(true);
  return res;
}

std::vector<const v1::ScanZone*> MatDomain::active_zones() const {
  std::vector<const v1::ScanZone*> out;
  for (const auto& [id, z] : zones_) {
    auto ev = events_.find(z.event_id());
    if (ev != events_.end() && ev->second.closed_ns() == 0 && zone_shape_error(z).empty()) out.push_back(&z);
  }
  return out;
}

const v1::ScanZone* MatDomain::zone(const std::string& id) const {
  auto it = zones_.find(id);
  return it == zones_.end() ? nullptr : &it->second;
}

std::size_t MatDomain::survivor_count() const {
  std::size_t n = 0;
  for (const auto& t : tracker_.tracks()) {
    if (survivors_.contains(t.id) && (t.state == v1::TRACK_STATE_ACTIVE || t.state == v1::TRACK_STATE_LOST)) ++n;
  }
  return n;
}

v1::Survivor MatDomain::survivor_message(const Track& t, const SurvivorRecord& r) const {
  v1::Survivor s;
  s.set_survivor_id(t.id);
  s.set_zone_id(t.zone_id);
  s.set_state(t.state);
  s.set_triage(r.triage);
  if (t.localised) {
    s.mutable_position()->set_x_m(t.x);
    s.mutable_position()->set_y_m(t.y);
    s.set_depth_m(t.depth_m);
    s.set_uncertainty_radius_m(t.uncertainty_m);
  }
  double conf = 0;
  const std::size_t recent = std::min<std::size_t>(r.vitals.size(), 10);
  for (std::size_t i = r.vitals.size() - recent; i < r.vitals.size(); ++i) {
    conf += std::max(r.vitals[i].breathing_confidence(), r.vitals[i].heart_confidence());
  }
  s.set_confidence(recent ? conf / recent : 0);
  for (const auto& v : r.vitals) *s.add_vitals() = v;
  s.set_first_seen_ns(t.first_ns);
  s.set_last_seen_ns(t.last_hit_ns);
  return s;
}

void MatDomain::emit_survivor(const Track& t) {
  auto it = survivors_.find(t.id);
  if (it == survivors_.end()) return;
  v1::MatEvent e;
  *e.mutable_survivor() = survivor_message(t, it->second);
  it->second.published = true;
  changes_.push_back(std::move(e));
}

std::string MatDomain::alert_text(const Track& t, const SurvivorRecord& r, const char* rule) const {
  char buf[256];
  const auto* z = zone(t.zone_id);
  const double rr = r.vitals.empty() ? 0 : r.vitals.back().breathing_bpm();
  if (t.localised) {
    std::snprintf(buf, sizeof buf, "%s survivor %s in %s: breathing %.0f/min, at (%.1f, %.1f) m, depth %.1f m +/- %.1f m (%s)",
                  triage_name(r.triage), t.id.c_str(), z ? z->name().c_str() : t.zone_id.c_str(), rr, t.x, t.y,
                  t.depth_m, t.uncertainty_m, rule);
  } else {
    std::snprintf(buf, sizeof buf, "%s survivor %s in %s: breathing %.0f/min, not localised (%s)", triage_name(r.triage),
                  t.id.c_str(), z ? z->name().c_str() : t.zone_id.c_str(), rr, rule);
  }
  return buf;
}

void MatDomain::reassess(const Track& t, SurvivorRecord& r, std::int64_t now_ns) {
  std::vector<v1::VitalSample> hist(r.vitals.begin(), r.vitals.end());
  const auto res = assess_triage({.history = hist, .now_ns = now_ns, .last_vital_ns = r.last_vital_ns, .previous = r.triage},
                                 p_.triage);
  r.triage = res.triage;
  emit_survivor(t);
  if (t.state == v1::TRACK_STATE_ACTIVE) {
    if (auto a = alerts_.on_triage(t.id, r.triage, alert_text(t, r, res.rule), now_ns)) {
      v1::MatEvent e;
      *e.mutable_alert() = *a;
      changes_.push_back(std::move(e));
    }
  }
}

void MatDomain::observe(const std::string& zone_id, const std::vector<Observation>& obs_in, std::int64_t now_ns) {
  const auto* z = zone(zone_id);
  if (!z) return;
  // A localised observation outside the zone is not this zone's survivor.
  std::vector<Observation> obs;
  for (const auto& o : obs_in) {
    if (o.x && !zone_contains(*z, *o.x, *o.y)) continue;
    obs.push_back(o);
  }
  const auto u = tracker_.update(zone_id, obs, now_ns, "survivor-");
  auto& tracks = tracker_.tracks();
  std::vector<bool> seen(tracks.size(), false);
  for (auto [ti, oi] : u.matched) {
    const auto& t = tracks[ti];
    seen[ti] = true;
    auto& r = survivors_[t.id];  // created at the first hit; published once Active
    r.vitals.push_back(obs[oi].vitals);
    while (r.vitals.size() > p_.vitals_history) r.vitals.pop_front();
    if (has_vitals(obs[oi].vitals)) r.last_vital_ns = now_ns;
    if (t.state == v1::TRACK_STATE_ACTIVE) reassess(t, r, now_ns);
  }
  for (auto ti : u.changed) {
    if (seen[ti]) continue;
    const auto& t = tracks[ti];
    auto it = survivors_.find(t.id);
    if (it == survivors_.end()) continue;
    if (it->second.published) {
      emit_survivor(t);
    } else if (t.state == v1::TRACK_STATE_TERMINATED) {
      survivors_.erase(it);  // a tentative track that never became a survivor leaves no trace
    }
  }
  std::erase_if(tracks, [&](const Track& t) { return t.state == v1::TRACK_STATE_TERMINATED && !survivors_.contains(t.id); });
}

void MatDomain::tick(std::int64_t now_ns) {
  for (auto i : tracker_.expire(now_ns)) emit_survivor(tracker_.tracks()[i]);
  for (const auto& a : alerts_.tick(now_ns)) {
    v1::MatEvent e;
    *e.mutable_alert() = a;
    changes_.push_back(e);
  }
  // Lost survivors: re-run triage so the time-based rule (Deceased) can apply without new data.
  for (const auto& t : tracker_.tracks()) {
    if (t.state != v1::TRACK_STATE_LOST) continue;
    auto it = survivors_.find(t.id);
    if (it == survivors_.end()) continue;
    std::vector<v1::VitalSample> hist(it->second.vitals.begin(), it->second.vitals.end());
    const auto res = assess_triage(
        {.history = hist, .now_ns = now_ns, .last_vital_ns = it->second.last_vital_ns, .previous = it->second.triage}, p_.triage);
    if (res.triage != it->second.triage) {
      it->second.triage = res.triage;
      emit_survivor(t);
    }
  }
}

std::vector<v1::MatEvent> MatDomain::take_changes() { return std::exchange(changes_, {}); }

std::vector<v1::MatEvent> MatDomain::snapshot() const {
  std::vector<v1::MatEvent> out;
  for (const auto& [id, ev] : events_) *out.emplace_back().mutable_event() = ev;
  for (const auto& [id, z] : zones_) *out.emplace_back().mutable_zone() = z;
  for (const auto& t : tracker_.tracks()) {
    auto it = survivors_.find(t.id);
    if (it != survivors_.end() && it->second.published) *out.emplace_back().mutable_survivor() = survivor_message(t, it->second);
  }
  for (const auto& a : alerts_.alerts()) *out.emplace_back().mutable_alert() = a;
  return out;
}

void MatDomain::restore(const std::vector<v1::MatEvent>& snap) {
  std::uint64_t max_id = 0, max_track = 0, max_alert = 0;
  for (const auto& e : snap) {
    if (e.has_event()) {
      events_[e.event().event_id()] = e.event();
      max_id = std::max(max_id, id_number(e.event().event_id()));
    } else if (e.has_zone()) {
      zones_[e.zone().zone_id()] = e.zone();
      max_id = std::max(max_id, id_number(e.zone().zone_id()));
    } else if (e.has_survivor()) {
      const auto& s = e.survivor();
      Track t;
      t.id = s.survivor_id();
      t.zone_id = s.zone_id();
      t.state = s.state();
      t.hits = p_.tracks.birth_hits;
      t.first_ns = s.first_seen_ns();
      t.last_hit_ns = s.last_seen_ns();
      t.lost_since_ns = s.state() == v1::TRACK_STATE_LOST ? s.last_seen_ns() : 0;
      t.localised = s.has_position();
      t.x = s.position().x_m(), t.y = s.position().y_m();
      t.depth_m = s.depth_m(), t.uncertainty_m = s.uncertainty_radius_m();
      SurvivorRecord r;
      for (const auto& v : s.vitals()) {
        r.vitals.push_back(v);
        if (has_vitals(v)) r.last_vital_ns = v.time_ns();
        if (v.breathing_bpm() > 0) t.breathing_bpm = v.breathing_bpm();
      }
      r.triage = s.triage();
      r.published = true;
      survivors_[t.id] = std::move(r);
      tracker_.restore(std::move(t));
      max_track = std::max(max_track, id_number(s.survivor_id()));
    } else if (e.has_alert()) {
      alerts_.restore(e.alert());
      max_alert = std::max(max_alert, id_number(e.alert().alert_id()));
    }
  }
  next_id_ = std::max(next_id_, max_id + 1);
  tracker_.set_next_id(std::max(tracker_.next_id(), max_track + 1));
  alerts_.set_next_id(std::max(alerts_.next_id(), max_alert + 1));
}

}  // namespace wdp::mat
