#include "triage.h"

#include <algorithm>
#include <vector>

namespace wdp::mat {
namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

v1::TriageClass upgrade_one_level(v1::TriageClass t) {
  if (t == v1::TRIAGE_CLASS_MINOR) return v1::TRIAGE_CLASS_DELAYED;
  if (t == v1::TRIAGE_CLASS_DELAYED) return v1::TRIAGE_CLASS_IMMEDIATE;
  return t;
}

TriageResult assess_triage(const TriageInput& in, const TriageParams& p) {
  const std::int64_t from = in.now_ns - static_cast<std::int64_t>(p.window_s * 1e9);
  std::vector<const v1::VitalSample*> win;
  for (const auto& s : in.history) {
    if (s.time_ns() >= from && s.time_ns() <= in.now_ns) win.push_back(&s);
  }
  TriageResult r;
  // Rule 1: no usable evidence in the window → Unknown (never Deceased by absence of data).
  std::vector<const v1::VitalSample*> usable;
  for (const auto* s : win) {
    if (std::max(s->breathing_confidence(), s->heart_confidence()) >= p.min_confidence || s->movement() > v1::MOVEMENT_CLASS_NONE) {
      usable.push_back(s);
    }
  }
  if (usable.empty() && in.last_vital_ns == 0) {
    r.rule = "no usable vital-sign evidence";
    return r;
  }
  std::vector<double> rr, hr;
  int moving[5] = {0, 0, 0, 0, 0};
  for (const auto* s : usable) {
    if (s->breathing_bpm() > 0 && s->breathing_confidence() >= p.min_confidence) rr.push_back(s->breathing_bpm());
    if (s->heart_bpm() > 0 && s->heart_confidence() >= p.min_confidence) hr.push_back(s->heart_bpm());
    moving[std::clamp<int>(s->movement(), 0, 4)]++;
  }
  // Movement over the window: the most frequent non-NONE class if it is seen in at least a third
  // of the samples, otherwise NONE (one noisy window does not make a survivor responsive).
  v1::MovementClass movement = v1::MOVEMENT_CLASS_NONE;
  int best = 0;
  for (int c = v1::MOVEMENT_CLASS_TREMOR; c <= v1::MOVEMENT_CLASS_VOLUNTARY; ++c) {
    if (moving[c] > best && 3 * moving[c] >= static_cast<int>(usable.size())) {
      best = moving[c];
      movement = static_cast<v1::MovementClass>(c);
    }
  }
  const bool breathing = !usable.empty() && 2 * rr.size() >= usable.size() && !rr.empty();
  const bool heart = !hr.empty();
  const bool any_movement = movement != v1::MOVEMENT_CLASS_NONE;
  if (!breathing) {
    if (heart || any_movement) {
      r.triage = v1::TRIAGE_CLASS_IMMEDIATE;
      r.rule = "breathing absent with heartbeat or movement";
      return r;
    }
    const double silent_s = in.last_vital_ns ? (in.now_ns - in.last_vital_ns) / 1e9 : 0;
    if (in.last_vital_ns && silent_s >= p.deceased_after_s) {
      r.triage = v1::TRIAGE_CLASS_DECEASED;
      r.rule = "no breathing, heartbeat or movement for the deceased time after a detection";
      return r;
    }
    r.triage = in.previous;
    r.reassess = true;
    r.rule = "vital signs lost: previous category kept, reassess";
    return r;
  }
  const double rate = median(rr);
  if (rate < 10 || rate > 30) {
    r.triage = v1::TRIAGE_CLASS_IMMEDIATE;
    r.rule = rate < 10 ? "respiratory rate < 10/min" : "respiratory rate > 30/min";
  } else if (heart && (median(hr) < p.bradycardia_bpm || median(hr) > p.tachycardia_bpm)) {
    r.triage = v1::TRIAGE_CLASS_IMMEDIATE;
    r.rule = "respiratory rate 10-30 with heart rate outside the perfusion band";
  } else if (movement == v1::MOVEMENT_CLASS_NONE || movement == v1::MOVEMENT_CLASS_TREMOR) {
    r.triage = v1::TRIAGE_CLASS_IMMEDIATE;
    r.rule = "respiratory rate 10-30, unresponsive (no or only involuntary movement)";
  } else if (movement == v1::MOVEMENT_CLASS_PERIODIC) {
    r.triage = v1::TRIAGE_CLASS_DELAYED;
    r.rule = "respiratory rate 10-30 with periodic movement";
  } else {
    r.triage = v1::TRIAGE_CLASS_MINOR;
    r.rule = "respiratory rate 10-30 with voluntary movement (responsive)";
  }
  // Deterioration: the last three breathing rates each lower than the one before.
  if (rr.size() >= 3) {
    const double a = rr[rr.size() - 3], b = rr[rr.size() - 2], c = rr[rr.size() - 1];
    if (a - b > p.deterioration_step_bpm && b - c > p.deterioration_step_bpm) {
      r.deteriorating = true;
      r.triage = upgrade_one_level(r.triage);
    }
  }
  return r;
}

}  // namespace wdp::mat
