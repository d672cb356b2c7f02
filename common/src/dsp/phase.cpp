#include "wdp/dsp/phase.h"

#include <cmath>
#include <stdexcept>

namespace wdp::dsp {

void unwrap(std::span<double> p) {
  double correction = 0;
  double prev = p.empty() ? 0 : p[0];
  for (std::size_t k = 1; k < p.size(); ++k) {
    const double raw = p[k];
    const double d = raw - prev;
    if (d > kPi) {
      correction -= 2 * kPi;
    } else if (d < -kPi) {
      correction += 2 * kPi;
    }
    prev = raw;
    p[k] = raw + correction;
  }
}

LineFit detrend(std::span<double> y, std::span<const double> x) {
  if (y.size() != x.size()) throw std::invalid_argument("detrend: phase and index sizes differ");
  if (y.empty()) return {};
  const double n = static_cast<double>(y.size());
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < y.size(); ++k) {
    mx += x[k];
    my += y[k];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0;
  for (std::size_t k = 0; k < y.size(); ++k) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) * (x[k] - mx);
  }
  LineFit f;
  f.slope = sxx < 1e-12 ? 0.0 : sxy / sxx;
  f.intercept = my - f.slope * mx;
  for (std::size_t k = 0; k < y.size(); ++k) y[k] -= f.slope * x[k] + f.intercept;
  return f;
}

double wrap_pi(double x) {
  // One ±2π step is exact for π < |x| < 2.5π (Sterbenz), so it equals remainder() there; only
  // larger jumps pay for the library call.
  if (std::abs(x) <= kPi) return x <= -kPi ? x + 2 * kPi : x;
  if (x > kPi && x < 2.5 * kPi) return x - 2 * kPi;
  if (x < -kPi && x > -2.5 * kPi) return x + 2 * kPi;
  x = std::remainder(x, 2 * kPi);  // [-π, π]
  return x <= -kPi ? x + 2 * kPi : x;
}

void TemporalUnwrap::push(std::span<const double> raw, std::span<double> out) {
  if (raw.size() != last_raw_.size() || out.size() != raw.size()) {
    throw std::invalid_argument("TemporalUnwrap: channel count changed");
  }
  for (std::size_t c = 0; c < raw.size(); ++c) {
    accumulated_[c] = started_ ? accumulated_[c] + wrap_pi(raw[c] - last_raw_[c]) : raw[c];
    last_raw_[c] = raw[c];
    out[c] = accumulated_[c];
  }
  started_ = true;
}

}  // namespace wdp::dsp
