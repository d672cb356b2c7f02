#include "mat_state.h"

namespace wdp::gateway {

void MatState::apply(const v1::MatEvent& m) {
  std::lock_guard lock(mutex_);
  switch (m.payload_case()) {
    case v1::MatEvent::kEvent: events_[m.event().event_id()] = m.event(); break;
    case v1::MatEvent::kZone:
      if (m.zone().shape_case() == v1::ScanZone::SHAPE_NOT_SET) {
        zones_.erase(m.zone().zone_id());  // deleted
      } else {
        zones_[m.zone().zone_id()] = m.zone();
      }
      break;
    case v1::MatEvent::kSurvivor: survivors_[m.survivor().survivor_id()] = m.survivor(); break;
    case v1::MatEvent::kAlert: alerts_[m.alert().alert_id()] = m.alert(); break;
    default: break;
  }
}

namespace {

template <class T>
bool same(const T& a, const T& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

// Items of `have` whose id is not in `keep`, removed from `have` and turned into events.
template <class T, class Mark>
void vanished(std::map<std::string, T>& have, const std::map<std::string, T>& keep, Mark mark, std::vector<v1::MatEvent>& out) {
  for (auto it = have.begin(); it != have.end();) {
    if (keep.contains(it->first)) {
      ++it;
      continue;
    }
    out.push_back(mark(it->second));
    it = have.erase(it);
  }
}

}  // namespace

std::vector<v1::MatEvent> MatState::sync(const google::protobuf::RepeatedPtrField<v1::MatEvent>& state) {
  std::map<std::string, v1::DisasterEvent> events;
  std::map<std::string, v1::ScanZone> zones;
  std::map<std::string, v1::Survivor> survivors;
  std::map<std::string, v1::Alert> alerts;
  for (const auto& m : state) {
    switch (m.payload_case()) {
      case v1::MatEvent::kEvent: events[m.event().event_id()] = m.event(); break;
      case v1::MatEvent::kZone:
        if (m.zone().shape_case() != v1::ScanZone::SHAPE_NOT_SET) zones[m.zone().zone_id()] = m.zone();
        break;
      case v1::MatEvent::kSurvivor: survivors[m.survivor().survivor_id()] = m.survivor(); break;
      case v1::MatEvent::kAlert: alerts[m.alert().alert_id()] = m.alert(); break;
      default: break;
    }
  }
  std::vector<v1::MatEvent> out;
  const auto changed = [&out](const auto& now, const auto& before, auto set) {
    for (const auto& [id, item] : now) {
      const auto it = before.find(id);
      if (it != before.end() && same(it->second, item)) continue;
      v1::MatEvent e;
      set(e, item);
      out.push_back(std::move(e));
    }
  };
  std::lock_guard lock(mutex_);
  changed(events, events_, [](v1::MatEvent& e, const auto& x) { *e.mutable_event() = x; });
  changed(zones, zones_, [](v1::MatEvent& e, const auto& x) { *e.mutable_zone() = x; });
  changed(survivors, survivors_, [](v1::MatEvent& e, const auto& x) { *e.mutable_survivor() = x; });
  changed(alerts, alerts_, [](v1::MatEvent& e, const auto& x) { *e.mutable_alert() = x; });
  // Disaster events are never deleted by mat-detector: one it does not know stays as it was.
  vanished(zones_, zones, [](v1::ScanZone z) {
    z.clear_shape();
    z.clear_node_ids();
    v1::MatEvent e;
    *e.mutable_zone() = std::move(z);
    return e;
  }, out);
  vanished(survivors_, survivors, [](v1::Survivor s) {
    s.set_state(v1::TRACK_STATE_TERMINATED);
    v1::MatEvent e;
    *e.mutable_survivor() = std::move(s);
    return e;
  }, out);
  vanished(alerts_, alerts, [](v1::Alert a) {
    a.set_state(v1::ALERT_STATE_RESOLVED);
    a.set_escalate_at_ns(0);
    v1::MatEvent e;
    *e.mutable_alert() = std::move(a);
    return e;
  }, out);
  for (auto& [id, e] : events) events_[id] = std::move(e);
  zones_ = std::move(zones);
  survivors_ = std::move(survivors);
  alerts_ = std::move(alerts);
  return out;
}

v1::ListDisasterEventsResponse MatState::disaster_events() const {
  std::lock_guard lock(mutex_);
  v1::ListDisasterEventsResponse r;
  for (const auto& [id, e] : events_) *r.add_events() = e;
  return r;
}

v1::ListMatZonesResponse MatState::zones() const {
  std::lock_guard lock(mutex_);
  v1::ListMatZonesResponse r;
  for (const auto& [id, z] : zones_) *r.add_zones() = z;
  return r;
}

v1::ListSurvivorsResponse MatState::survivors(const std::string& zone_id) const {
  std::lock_guard lock(mutex_);
  v1::ListSurvivorsResponse r;
  for (const auto& [id, s] : survivors_) {
    if (zone_id.empty() || s.zone_id() == zone_id) *r.add_survivors() = s;
  }
  return r;
}

v1::ListAlertsResponse MatState::alerts(bool open_only) const {
  std::lock_guard lock(mutex_);
  v1::ListAlertsResponse r;
  for (const auto& [id, a] : alerts_) {
    if (!open_only || a.state() == v1::ALERT_STATE_OPEN || a.state() == v1::ALERT_STATE_ACKNOWLEDGED) *r.add_alerts() = a;
  }
  return r;
}

}  // namespace wdp::gateway
