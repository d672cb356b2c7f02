#include "alerts.h"

namespace wdp::mat {

std::optional<v1::AlertPriority> priority_for(v1::TriageClass t) {
  switch (t) {
    case v1::TRIAGE_CLASS_IMMEDIATE: return v1::ALERT_PRIORITY_CRITICAL;
    case v1::TRIAGE_CLASS_DELAYED: return v1::ALERT_PRIORITY_HIGH;
    case v1::TRIAGE_CLASS_MINOR: return v1::ALERT_PRIORITY_MEDIUM;
    default: return std::nullopt;
  }
}

v1::AlertPriority escalate_priority(v1::AlertPriority p) {
  switch (p) {
    case v1::ALERT_PRIORITY_LOW: return v1::ALERT_PRIORITY_MEDIUM;
    case v1::ALERT_PRIORITY_MEDIUM: return v1::ALERT_PRIORITY_HIGH;
    default: return v1::ALERT_PRIORITY_CRITICAL;
  }
}

v1::Alert* AlertBook::find(const std::string& id) {
  for (auto& a : alerts_) if (a.alert_id() == id) return &a;
  return nullptr;
}

v1::Alert* AlertBook::open_for(const std::string& survivor_id) {
  for (auto& a : alerts_) {
    if (a.survivor_id() == survivor_id && a.state() != v1::ALERT_STATE_RESOLVED) return &a;
  }
  return nullptr;
}

std::optional<v1::Alert> AlertBook::on_triage(const std::string& survivor_id, v1::TriageClass triage,
                                              const std::string& message, std::int64_t now_ns) {
  const auto prio = priority_for(triage);
  if (!prio) return std::nullopt;
  const auto esc_ns = static_cast<std::int64_t>(p_.escalation_s * 1e9);
  if (auto* a = open_for(survivor_id)) {
    // Worsening raises the priority (and re-opens an acknowledged alert); improvement keeps the
    // open alert as it is, since a team may already be on the way.
    if (*prio <= a->priority()) return std::nullopt;
    a->set_priority(*prio);
    a->set_message(message);
    a->set_state(v1::ALERT_STATE_OPEN);
    a->set_escalate_at_ns(now_ns + esc_ns);
    return *a;
  }
  v1::Alert a;
  a.set_alert_id("alert-" + std::to_string(next_id_++));
  a.set_survivor_id(survivor_id);
  a.set_priority(*prio);
  a.set_state(v1::ALERT_STATE_OPEN);
  a.set_message(message);
  a.set_raised_ns(now_ns);
  a.set_escalate_at_ns(now_ns + esc_ns);
  alerts_.push_back(a);
  return a;
}

std::vector<v1::Alert> AlertBook::tick(std::int64_t now_ns) {
  std::vector<v1::Alert> out;
  const auto esc_ns = static_cast<std::int64_t>(p_.escalation_s * 1e9);
  for (auto& a : alerts_) {
    if (a.state() != v1::ALERT_STATE_OPEN || a.escalate_at_ns() == 0 || now_ns < a.escalate_at_ns()) continue;
    a.set_priority(escalate_priority(a.priority()));
    // At Critical there is nothing left to escalate to: the timer stops.
    a.set_escalate_at_ns(a.priority() == v1::ALERT_PRIORITY_CRITICAL ? 0 : now_ns + esc_ns);
    if (a.message().rfind("ESCALATED: ", 0) != 0) a.set_message("ESCALATED: " + a.message());
    out.push_back(a);
  }
  return out;
}

std::optional<v1::Alert> AlertBook::acknowledge(const std::string& id, const std::string& by, std::string& error) {
  auto* a = find(id);
  if (!a) return error = "unknown alert '" + id + "'", std::nullopt;
  if (a->state() != v1::ALERT_STATE_OPEN) return error = "alert '" + id + "' is not open", std::nullopt;
  a->set_state(v1::ALERT_STATE_ACKNOWLEDGED);
  a->set_acknowledged_by(by);
  a->set_escalate_at_ns(0);
  return *a;
}

std::optional<v1::Alert> AlertBook::resolve(const std::string& id, const std::string& by, std::string& error) {
  auto* a = find(id);
  if (!a) return error = "unknown alert '" + id + "'", std::nullopt;
  if (a->state() == v1::ALERT_STATE_RESOLVED) return error = "alert '" + id + "' is already resolved", std::nullopt;
  a->set_state(v1::ALERT_STATE_RESOLVED);
  if (a->acknowledged_by().empty()) a->set_acknowledged_by(by);
  a->set_escalate_at_ns(0);
  return *a;
}

std::optional<v1::Alert> AlertBook::resolve_for_survivor(const std::string& survivor_id) {
  auto* a = open_for(survivor_id);
  if (!a) return std::nullopt;
  a->set_state(v1::ALERT_STATE_RESOLVED);
  a->set_escalate_at_ns(0);
  return *a;
}

}  // namespace wdp::mat
