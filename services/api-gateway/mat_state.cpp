#include "mat_state.h"

namespace wdp::gateway {

void MatState::apply(const v1::MatEvent& m) {
  std::lock_guard lock(mutex_);
  switch (m.payload_case()) {
    case v1::MatEvent::kEvent: events_[m.event().event_id()] = m.event(); break;
    case v1::MatEvent::kZone: zones_[m.zone().zone_id()] = m.zone(); break;
    case v1::MatEvent::kSurvivor: survivors_[m.survivor().survivor_id()] = m.survivor(); break;
    case v1::MatEvent::kAlert: alerts_[m.alert().alert_id()] = m.alert(); break;
    default: break;
  }
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
