#pragma once
// Phase sanitising along subcarriers (../shared/docs/signal-reference.md §2):
//   unwrap:  p[k] + c, where c accumulates -2π when p[k]-p[k-1] > π and +2π when < -π
//   detrend: remove the least-squares line a·m_k + b fitted against the TRUE subcarrier indices
//            m_k (null/guard gaps would bias a fit on 0..n-1); this removes the CFO/STO offset and
//            slope. a = 0 when Σ(m - m̄)² < 1e-12.
// Temporal unwrap (per subcarrier, frame to frame) is TemporalUnwrap.
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

// Wraps into (-π, π].
double wrap_pi(double x);

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
