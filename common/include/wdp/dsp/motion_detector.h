#pragma once
// Motion statistic, self-calibrating baseline and hysteresis (signal-processor step 4).
//
// Input per grid frame: the canonical amplitudes divided by their frame mean. Dividing by the
// mean cancels any gain the receiver's AGC applied to the whole frame, so only changes in the
// shape of the channel across subcarriers count as motion.
//
// statistic = median over subcarriers of the mean square of the frame-to-frame change of those
// values over window_s. Differencing is a high-pass: breathing (≤ 0.5 Hz) barely moves it, so a
// still, breathing person is not "motion", while walking or gesturing is. The median ignores a
// few noisy subcarriers; Hampel filtering upstream removes single bad packets.
//
// coherence = Σ Δ_k·Δ_{k+1} / Σ Δ_k² over the window (adjacent subcarriers): receiver noise and
// quantization are independent across subcarriers (coherence ≈ 0), while a moving body changes
// neighbouring subcarriers together (coherence → 1). It does not depend on the noise level.
//
// Baseline: the statistic of an empty/still room. It starts at `initial_baseline` and is set from
// the first `calibration_s` of data when that period is quiet, i.e. its changes are incoherent
// (median coherence < quiet_coherence), whatever the noise level. Then it follows the quiet
// floor: it falls quickly (time constant fall_s) and rises slowly (rise_s), and only while no
// motion is detected, so motion never teaches the detector that motion is normal.
// Motion needs both a statistic above on_ratio·baseline and coherence above min_coherence.
//
// Hysteresis: motion starts after `on_frames` frames above on_ratio·baseline and ends after
// `off_frames` frames below off_ratio·baseline. motion level = log10(statistic/baseline)/2,
// clamped to 0..1 (100× the floor = 1).
#include <cstddef>
#include <span>
#include <vector>

#include "wdp/dsp/moving_stats.h"

namespace wdp::dsp {

struct MotionParams {
  double window_s = 0.5;
  double initial_baseline = 2e-4;  // typical quiet floor (see signal-processor README)
  double calibration_s = 3.0;
  double on_ratio = 3.0;
  double off_ratio = 2.0;
  std::size_t on_frames = 2;
  std::size_t off_frames = 10;
  double fall_s = 5.0;
  double rise_s = 120.0;
  double max_baseline_factor = 100.0;  // the baseline never exceeds this × initial_baseline
  double quiet_coherence = 0.3;
  double min_coherence = 0.2;
};

struct MotionState {
  double statistic = 0;
  double coherence = 0;
  double baseline = 0;
  double level = 0;        // 0..1
  bool moving = false;
  bool calibrated = false;
  double confidence = 0;   // 0..1: how far the statistic is from the decision threshold
};

class MotionDetector {
 public:
  MotionDetector(std::size_t channels, double rate_hz, MotionParams p = {});
  const MotionState& push(std::span<const double> normalized_amplitude);
  const MotionState& state() const { return state_; }
  void reset();

 private:
  MotionParams p_;
  double rate_;
  MovingStats stats_;  // of the frame-to-frame differences
  std::vector<double> previous_, diff_, variances_, calibration_, calibration_coherence_;
  std::vector<double> coherent_ring_, energy_ring_;  // per-frame Σ Δ_kΔ_{k+1} and Σ Δ_k²
  double coherent_sum_ = 0, energy_sum_ = 0;
  bool have_previous_ = false;
  std::size_t frames_ = 0, above_ = 0, below_ = 0;
  MotionState state_;
};

}  // namespace wdp::dsp
