#include "event_deriver.h"

#include <cstdio>

namespace wdp::gateway {
namespace {

const char* motion_name(v1::MotionState m) {
  switch (m) {
    case v1::MOTION_STATE_NONE: return "none";
    case v1::MOTION_STATE_PRESENT_STILL: return "present, still";
    case v1::MOTION_STATE_ACTIVE: return "active";
    default: return "unknown";
  }
}

std::string fmt(const char* f, double a, double b = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

}  // namespace

std::int64_t origin_time_ns(const v1::Origin& o, std::int64_t fallback) {
  if (o.capture_time_ns() > 0) return o.capture_time_ns();
  if (o.publish_time_ns() > 0) return o.publish_time_ns();
  return fallback;
}

v1::Event EventDeriver::vitals_event(const std::string& node, const Window& w) const {
  v1::Event e;
  e.set_time_ns(w.start_ns + window_ns_);
  e.set_node_id(node);
  e.set_kind(v1::EVENT_KIND_VITALS);
  auto* v = e.mutable_vitals();
  v->set_window_start_ns(w.start_ns);
  v->set_window_end_ns(w.start_ns + window_ns_);
  v->set_updates(w.updates);
  v->set_breathing_valid(w.breathing_valid);
  v->set_heart_valid(w.heart_valid);
  if (w.breathing_valid) v->set_breathing_bpm_mean(w.breathing_sum / w.breathing_valid);
  if (w.heart_valid) v->set_heart_bpm_mean(w.heart_sum / w.heart_valid);
  std::string s = "vitals: ";
  s += w.breathing_valid ? fmt("breathing %.1f/min", v->breathing_bpm_mean()) : "breathing not measured";
  s += w.heart_valid ? fmt(", heart %.1f/min", v->heart_bpm_mean()) : ", heart not measured";
  e.set_summary(s);
  return e;
}

std::vector<v1::Event> EventDeriver::on_sensing(const v1::SensingUpdate& u) {
  std::vector<v1::Event> out;
  const auto& node = u.origin().node_id();
  const auto t = origin_time_ns(u.origin(), 0);
  auto& st = nodes_[node];

  // Vitals summary: close the window when an update falls past its end.
  if (t > 0 && window_ns_ > 0) {
    const auto start = t - (t % window_ns_);
    if (st.window.updates > 0 && start != st.window.start_ns) {
      out.push_back(vitals_event(node, st.window));
      st.window = Window{};
    }
    if (st.window.updates == 0) st.window.start_ns = start;
    ++st.window.updates;
    if (u.breathing().valid()) {
      ++st.window.breathing_valid;
      st.window.breathing_sum += u.breathing().rate_per_min();
    }
    if (u.heart().valid()) {
      ++st.window.heart_valid;
      st.window.heart_sum += u.heart().rate_per_min();
    }
  }

  if (!u.calibrated()) return out;
  if (!st.known) {
    st.known = true;
    st.presence = u.presence();
    st.motion = u.motion_state();
    return out;
  }
  if (u.presence() != st.presence) {
    v1::Event e;
    e.set_time_ns(t);
    e.set_node_id(node);
    e.set_kind(v1::EVENT_KIND_PRESENCE);
    e.mutable_presence()->set_presence(u.presence());
    e.mutable_presence()->set_confidence(u.presence_confidence());
    e.set_summary(u.presence() ? fmt("presence detected (confidence %.2f)", u.presence_confidence())
                               : std::string("presence ended"));
    out.push_back(std::move(e));
    st.presence = u.presence();
  }
  if (u.motion_state() != st.motion && u.motion_state() != v1::MOTION_STATE_UNSPECIFIED) {
    v1::Event e;
    e.set_time_ns(t);
    e.set_node_id(node);
    e.set_kind(v1::EVENT_KIND_MOTION);
    auto* m = e.mutable_motion();
    m->set_previous(st.motion);
    m->set_current(u.motion_state());
    m->set_motion(u.motion());
    e.set_summary(std::string("motion: ") + motion_name(st.motion) + " -> " + motion_name(u.motion_state()));
    out.push_back(std::move(e));
    st.motion = u.motion_state();
  }
  return out;
}

v1::Event EventDeriver::from_mat(const v1::MatEvent& m, std::int64_t fallback_time_ns) {
  v1::Event e;
  e.set_time_ns(origin_time_ns(m.origin(), fallback_time_ns));
  e.set_node_id(m.origin().node_id());
  *e.mutable_mat() = m;
  switch (m.payload_case()) {
    case v1::MatEvent::kEvent:
      e.set_kind(v1::EVENT_KIND_DISASTER);
      e.set_summary("disaster event " + m.event().event_id() + (m.event().closed_ns() ? " closed" : " open"));
      break;
    case v1::MatEvent::kZone:
      e.set_kind(v1::EVENT_KIND_ZONE);
      e.set_summary("scan zone " + m.zone().zone_id() + " '" + m.zone().name() + "'" +
                    (m.zone().shape_case() == v1::ScanZone::SHAPE_NOT_SET ? " deleted" : ""));
      break;
    case v1::MatEvent::kSurvivor:
      e.set_kind(v1::EVENT_KIND_SURVIVOR);
      e.set_summary("survivor " + m.survivor().survivor_id() + " " + v1::TriageClass_Name(m.survivor().triage()) + " " +
                    v1::TrackState_Name(m.survivor().state()));
      break;
    case v1::MatEvent::kAlert:
      e.set_kind(v1::EVENT_KIND_ALERT);
      e.set_summary("alert " + m.alert().alert_id() + " " + v1::AlertPriority_Name(m.alert().priority()) + " " +
                    v1::AlertState_Name(m.alert().state()) + ": " + m.alert().message());
      break;
    default:
      e.set_kind(v1::EVENT_KIND_UNSPECIFIED);
      e.set_summary("empty WiFi-Mat event");
  }
  return e;
}

}  // namespace wdp::gateway
