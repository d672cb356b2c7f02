#pragma once
// START triage adapted to what WiFi sensing can observe (mat-reference §5.4; every rule is listed
// in README.md). It reads a time window of vital samples, never a single reading.
#include <cstdint>
#include <span>

#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

struct TriageParams {
  double window_s = 120;              // samples older than this (relative to `now`) are ignored
  double min_confidence = 0.3;        // a sample counts as evidence at or above this confidence
  double deceased_after_s = 1800;     // no vital sign at all for this long after a detection
  double bradycardia_bpm = 50;        // heart rate below: perfusion proxy fails
  double tachycardia_bpm = 120;       // heart rate above: perfusion proxy fails
  double deterioration_step_bpm = 0.5;  // "strictly decreasing" needs drops larger than this
};

struct TriageInput {
  std::span<const v1::VitalSample> history;  // oldest first
  std::int64_t now_ns = 0;
  std::int64_t last_vital_ns = 0;            // last sample with any vital sign (0: never)
  v1::TriageClass previous = v1::TRIAGE_CLASS_UNKNOWN;
};

struct TriageResult {
  v1::TriageClass triage = v1::TRIAGE_CLASS_UNKNOWN;
  bool reassess = false;        // breathing lost but not yet long enough for Deceased
  bool deteriorating = false;
  const char* rule = "";        // which rule decided (for logs and the alert text)
};

TriageResult assess_triage(const TriageInput& in, const TriageParams& p = {});
// Minor → Delayed → Immediate; others unchanged.
v1::TriageClass upgrade_one_level(v1::TriageClass t);

}  // namespace wdp::mat
