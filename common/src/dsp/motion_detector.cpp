#include "wdp/dsp/motion_detector.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wdp::dsp {
namespace {

double median_copy(std::vector<double> v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

}  // namespace

MotionDetector::MotionDetector(std::size_t channels, double rate_hz, MotionParams p)
    : p_(p),
      rate_(rate_hz),
      stats_(channels, std::max<std::size_t>(2, static_cast<std::size_t>(std::lround(p.window_s * rate_hz)))),
      previous_(channels),
      diff_(channels),
      variances_(channels) {
  if (!(rate_hz > 0)) throw std::invalid_argument("MotionDetector: rate must be > 0");
  state_.baseline = p_.initial_baseline;
}

void MotionDetector::reset() {
  stats_.reset();
  have_previous_ = false;
  calibration_.clear();
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
  ++frames_;
  if (!stats_.full()) return state_;
  for (std::size_t c = 0; c < variances_.size(); ++c) {
    const double m = stats_.mean(c);
    variances_[c] = stats_.variance(c) + m * m;  // mean square of the change
  }
  const double s = median_copy(variances_);
  state_.statistic = s;

  double& b = state_.baseline;
  if (!state_.calibrated) {
    calibration_.push_back(s);
    if (double(calibration_.size()) >= p_.calibration_s * rate_) {
      const double m = median_copy(calibration_);
      // A quiet start calibrates the floor; a busy one keeps the default until quiet comes.
      if (m < p_.on_ratio * b) b = m;
      state_.calibrated = true;
      calibration_.clear();
    }
  }
  const double on = p_.on_ratio * b, off = p_.off_ratio * b;
  if (!state_.moving) {
    above_ = s > on ? above_ + 1 : 0;
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
  if (!state_.moving && state_.calibrated && s < on) {
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
