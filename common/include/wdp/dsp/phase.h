#pragma once
// Phase sanitising along subcarriers (../shared/docs/signal-reference.md §2):
//   unwrap:  p[k] + c, where c accumulates -2π when p[k]-p[k-1] > π and +2π when < -π
//   detrend: remove the least-squares line a·m_k + b fitted against the TRUE subcarrier indices
//            m_k (null/guard gaps would bias a fit on 0..n-1); this removes the CFO/STO offset and
//            slope. a = 0 when Σ(m - m̄)² < 1e-12.
// Temporal unwrap (per subcarrier, frame to frame) is TemporalUnwrap.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace wdp::dsp {

inline constexpr double kPi = 3.14159265358979323846;

// In place. Matches numpy.unwrap for wrapped input.
void unwrap(std::span<double> phase);

struct LineFit {
  double slope = 0;      // rad per subcarrier index
  double intercept = 0;  // rad
};

// Fits and subtracts the line; returns it. Sizes must match; empty input is a no-op.
LineFit detrend(std::span<double> phase, std::span<const double> index);

// atan2 within 1e-8 rad of std::atan2 (measured over a dense grid in phase_test), with no calls
// and no data-dependent branches, so per-bin loops stay cheap: CSI phase noise is 1e-2 rad or
// more. Range reduction to [0, tan(π/8)] and a degree-9 odd polynomial (Cephes' atanf form).
// Signs and zeros follow std::atan2: (±0, −x) → ±π, (±0, +0) → ±0.
inline double fast_atan2(double y, double x) {
  const double ax = std::abs(x), ay = std::abs(y);
  const double hi = std::max(ax, ay), lo = std::min(ax, ay);
  // Both divisions unconditional (no trapping operation under a branch), so loops if-convert.
  const double z = lo / (hi > 0 ? hi : 1.0);  // 0 when x = y = 0
  const bool big = z > 0.41421356237309503;  // tan(π/8)
  const double reduced = (z - 1) / (z + 1);
  const double w = big ? reduced : z;
  const double w2 = w * w;
  double r = ((((8.05374449538e-2 * w2 - 1.38776856032e-1) * w2 + 1.99777106478e-1) * w2 - 3.33329491539e-1) * w2) * w + w;
  r = big ? r + kPi / 4 : r;
  r = ay > ax ? kPi / 2 - r : r;
  r = std::signbit(x) ? kPi - r : r;
  return std::copysign(r, y);
}

// Element-wise fast_atan2(y[i], x[i]) into out[i], several bins per instruction; the same
// operations per element, so bit-identical to the scalar form (phase_test checks). Sizes must match.
void fast_atan2(std::span<const double> y, std::span<const double> x, std::span<double> out);

namespace detail {
double wrap_pi_far(double x);  // the |x| > π part of wrap_pi
extern bool fast_atan2_avx2;   // batch form in AVX2 (set from the CPU; tests clear it for SSE2)
}  // namespace detail

// Wraps into (-π, π]. Inline: per-frame phase steps are nearly always within ±π already.
inline double wrap_pi(double x) { return x > -kPi && x <= kPi ? x : detail::wrap_pi_far(x); }

// φ_t = φ_{t-1} + wrap(raw_t - raw_{t-1}) per channel: a continuous phase stream over time.
class TemporalUnwrap {
 public:
  explicit TemporalUnwrap(std::size_t channels) : last_raw_(channels), accumulated_(channels) {}
  void push(std::span<const double> raw, std::span<double> out);
  void reset() { started_ = false; }

 private:
  bool started_ = false;
  std::vector<double> last_raw_, accumulated_;
};

}  // namespace wdp::dsp
