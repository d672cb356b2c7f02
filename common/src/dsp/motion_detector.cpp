#include "wdp/dsp/motion_detector.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "wdp/dsp/select.h"

namespace wdp::dsp {
namespace {

std::size_t stats_window(const MotionParams& p, double rate) {
  return std::max<std::size_t>(2, static_cast<std::size_t>(std::lround(p.window_s * rate)));
}

// Median (upper middle for even sizes) that reorders its argument (callers pass scratch copies).
double median_inplace(std::vector<double>& v) { return select_nth(v, v.size() / 2); }

}  // namespace

MotionDetector::MotionDetector(std::size_t channels, double rate_hz, MotionParams p)
    : p_(p),
      rate_(rate_hz),
      stats_(channels, stats_window(p, rate_hz)),
      previous_(channels),
      diff_(channels),
      variances_(channels),
      coherent_ring_(stats_window(p, rate_hz)),
      energy_ring_(coherent_ring_.size()) {
  if (!(rate_hz > 0)) throw std::invalid_argument("MotionDetector: rate must be > 0");
  state_.baseline = p_.initial_baseline;
}

void MotionDetector::reset() {
  stats_.reset();
  have_previous_ = false;
  calibration_.clear();
  calibration_coherence_.clear();
  std::fill(coherent_ring_.begin(), coherent_ring_.end(), 0.0);
  std::fill(energy_ring_.begin(), energy_ring_.end(), 0.0);
  coherent_sum_ = energy_sum_ = 0;
  frames_ = above_ = below_ = 0;
  state_ = {};
  state_.baseline = p_.initial_baseline;
}

const MotionState& MotionDetector::push(std::span<const double> x) {
  if (x.size() != previous_.size()) throw std::invalid_argument("MotionDetector: channel count changed");
  if (!have_previous_) {
    std::copy(x.begin(), x.end(), previous_.begin());
    have_previous_ = true;
    return state_;
  }
  for (std::size_t c = 0; c < x.size(); ++c) diff_[c] = x[c] - previous_[c];
  std::copy(x.begin(), x.end(), previous_.begin());
  stats_.push(diff_);
  double coherent = 0, energy = 0;
  for (std::size_t c = 0; c < diff_.size(); ++c) {
    energy += diff_[c] * diff_[c];
    if (c + 1 < diff_.size()) coherent += diff_[c] * diff_[c + 1];
  }
  const std::size_t slot = frames_ % coherent_ring_.size();
  coherent_sum_ += coherent - coherent_ring_[slot];
  energy_sum_ += energy - energy_ring_[slot];
  coherent_ring_[slot] = coherent;
  energy_ring_[slot] = energy;
  ++frames_;
  if (frames_ % (16 * coherent_ring_.size()) == 0) {  // re-add: keep rounding from accumulating
    coherent_sum_ = energy_sum_ = 0;
    for (std::size_t i = 0; i < coherent_ring_.size(); ++i) {
      coherent_sum_ += coherent_ring_[i];
      energy_sum_ += energy_ring_[i];
    }
  }
  state_.coherence = energy_sum_ > 0 ? coherent_sum_ / energy_sum_ : 0.0;
  if (!stats_.full()) return state_;
  for (std::size_t c = 0; c < variances_.size(); ++c) {
    const double m = stats_.mean(c);
    variances_[c] = stats_.variance(c) + m * m;  // mean square of the change
  }
  const double s = median_inplace(variances_);  // variances_ is rebuilt every frame
  state_.statistic = s;

  double& b = state_.baseline;
  if (!state_.calibrated) {
    calibration_.push_back(s);
    calibration_coherence_.push_back(state_.coherence);
    if (double(calibration_.size()) >= p_.calibration_s * rate_) {
      // A quiet start (incoherent changes) calibrates the floor at any noise level; a start in
      // motion keeps the default until a quiet period comes.
      if (median_inplace(calibration_coherence_) < p_.quiet_coherence) b = median_inplace(calibration_);
      state_.calibrated = true;
      calibration_.clear();
      calibration_coherence_.clear();
    }
  }
  const double on = p_.on_ratio * b, off = p_.off_ratio * b;
  if (!state_.moving) {
    above_ = s > on && state_.coherence > p_.min_coherence ? above_ + 1 : 0;
    if (above_ >= p_.on_frames) {
      state_.moving = true;
      below_ = 0;
    }
  } else {
    below_ = s < off ? below_ + 1 : 0;
    if (below_ >= p_.off_frames) {
      state_.moving = false;
      above_ = 0;
    }
  }
  if (!state_.moving && state_.calibrated && (s < on || state_.coherence < p_.min_coherence)) {
    const double tau = s < b ? p_.fall_s : p_.rise_s;
    b += (s - b) / (tau * rate_);
    b = std::clamp(b, p_.initial_baseline * 1e-3, p_.initial_baseline * p_.max_baseline_factor);
  }
  state_.level = std::clamp(std::log10(std::max(s, 1e-30) / b) / 2.0, 0.0, 1.0);
  // Distance from the active threshold in decades, mapped to 0..1.
  const double threshold = state_.moving ? off : on;
  state_.confidence = std::clamp(0.5 + std::abs(std::log10(std::max(s, 1e-30) / threshold)), 0.0, 1.0);
  return state_;
}

}  // namespace wdp::dsp
