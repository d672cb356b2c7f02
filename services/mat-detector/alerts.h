#pragma once
// Alerts for survivors (mat-reference §8 with its defects removed): at most one open alert per
// survivor (deduplicated), its priority follows the survivor's triage, an unacknowledged alert
// escalates one priority level every `escalation_s` (checked by tick()), and operators
// acknowledge and resolve alerts.
//
// Priority by triage: Immediate → Critical, Delayed → High, Minor → Medium; Deceased and Unknown
// raise no alert (nothing to dispatch a team for yet; Unknown is not a survivor finding).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

struct AlertParams {
  double escalation_s = 300;
};

std::optional<v1::AlertPriority> priority_for(v1::TriageClass t);
v1::AlertPriority escalate_priority(v1::AlertPriority p);  // one level up, capped at Critical

class AlertBook {
 public:
  explicit AlertBook(AlertParams p = {}) : p_(p) {}
  // Raises an alert for the survivor's triage or updates its open one. Returns the alert when it
  // was created or changed, nothing when no alert is due or nothing changed.
  std::optional<v1::Alert> on_triage(const std::string& survivor_id, v1::TriageClass triage, const std::string& message,
                                     std::int64_t now_ns);
  // Escalates every open alert whose timer ran out; returns the changed alerts.
  std::vector<v1::Alert> tick(std::int64_t now_ns);
  // Errors: unknown id, or already resolved / acknowledged (acknowledging twice is refused).
  std::optional<v1::Alert> acknowledge(const std::string& alert_id, const std::string& by, std::string& error);
  std::optional<v1::Alert> resolve(const std::string& alert_id, const std::string& by, std::string& error);
  // Resolves the survivor's open alert, if any (rescued, zone deleted).
  std::optional<v1::Alert> resolve_for_survivor(const std::string& survivor_id);

  const std::vector<v1::Alert>& alerts() const { return alerts_; }
  void restore(v1::Alert a) { alerts_.push_back(std::move(a)); }
  std::uint64_t next_id() const { return next_id_; }
  void set_next_id(std::uint64_t n) { next_id_ = n; }

 private:
  v1::Alert* find(const std::string& id);
  v1::Alert* open_for(const std::string& survivor_id);

  AlertParams p_;
  std::vector<v1::Alert> alerts_;
  std::uint64_t next_id_ = 1;
};

}  // namespace wdp::mat
