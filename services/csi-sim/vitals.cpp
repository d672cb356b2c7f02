#include "vitals.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "geometry.h"

namespace wdp::sim {

VitalsModel::VitalsModel(VitalsParams params, std::uint64_t seed) : params_(params) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  // Three modes with equal variance sum to the requested std of ε.
  const double a = params_.irregularity * std::sqrt(2.0 / kModes);
  for (int i = 0; i < kModes; ++i) {
    amp_[i] = a;
    freq_[i] = 0.01 + 0.04 * u(rng);
    phase_[i] = 2 * kPi * u(rng);
  }
  breath_phase0_ = 2 * kPi * u(rng);
  heart_phase0_ = 2 * kPi * u(rng);
}

double VitalsModel::breathing_m(double t) const {
  if (params_.breathing_bpm <= 0) return 0.0;
  // φ(t) = 2π f0 ∫(1 + ε) dt with ε = Σ a cos(2π g t + θ).
  double integral = t;
  for (int i = 0; i < kModes; ++i) {
    integral += amp_[i] * (std::sin(2 * kPi * freq_[i] * t + phase_[i]) - std::sin(phase_[i])) / (2 * kPi * freq_[i]);
  }
  // A linear rate drift k (Hz/s) adds 2π k t²/2 to the phase.
  const double k = params_.rate_change_bpm_per_min / 3600.0;
  const double phi = 2 * kPi * (params_.breathing_bpm / 60.0 * integral + 0.5 * k * t * t) + breath_phase0_;
  return 0.5e-3 * params_.breathing_depth_mm * envelope(t) * (1.0 - std::cos(phi));
}

double VitalsModel::envelope(double t) const {
  if (params_.stop_s <= 0 || t <= params_.stop_s) return 1.0;
  return std::max(0.0, 1.0 - (t - params_.stop_s) / 2.0);
}

double VitalsModel::heart_m(double t) const {
  if (params_.heart_bpm <= 0) return 0.0;
  const double phi = 2 * kPi * params_.heart_bpm / 60.0 * t + heart_phase0_;
  return 0.5e-3 * params_.heart_depth_mm * envelope(t) * (1.0 - std::cos(phi));
}

double VitalsModel::displacement_m(double t) const { return breathing_m(t) + heart_m(t); }

}  // namespace wdp::sim
