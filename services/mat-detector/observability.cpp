#include "observability.h"

#include <algorithm>
#include <cmath>

namespace wdp::mat {

double ObservabilityTable::at(double excess_m) const {
  if (gain.empty()) return 1.0;
  const double u = std::clamp(excess_m / step_m, 0.0, static_cast<double>(gain.size() - 1));
  const auto i = static_cast<std::size_t>(u);
  const double f = u - i;
  return i + 1 < gain.size() ? gain[i] * (1 - f) + gain[i + 1] * f : gain[i];
}

double ObservabilityTable::spread_at(double excess_m) const {
  if (spread.empty()) return 1.0;
  const double u = std::clamp(excess_m / step_m, 0.0, static_cast<double>(spread.size() - 1));
  const auto i = static_cast<std::size_t>(u);
  const double f = u - i;
  return i + 1 < spread.size() ? spread[i] * (1 - f) + spread[i + 1] * f : spread[i];
}

ObservabilityTable observability_table(const std::vector<std::complex<double>>& ref, const std::vector<double>& index,
                                       std::size_t group_bins, double spacing_hz, double max_excess_m, double step_m) {
  ObservabilityTable t;
  t.step_m = step_m;
  const std::size_t n = ref.size();
  if (n < 3 || index.size() != n || group_bins == 0) return t;
  double p = 0;
  for (auto z : ref) p += std::norm(z);
  const double rms = std::sqrt(p / n);
  // The reference carries the linear phase of its own packet (line-of-sight delay plus that
  // packet's timing offset, which differs from run to run), and LinkStream expresses every later
  // packet in that frame, so a moving path is seen as e^(j·slope·m)·e^(−j2π f Δτ): the same
  // linear phase, measured here as LinkStream measures it (angle of neighbours one index apart).
  std::complex<double> step = 0;
  double wsum = 0;
  for (std::size_t k = 0; k + 1 < n; ++k) {
    if (index[k + 1] - index[k] != 1.0) continue;
    step += ref[k + 1] * std::conj(ref[k]);
    wsum += std::norm(ref[k]) * std::norm(ref[k + 1]);
  }
  const double slope = std::arg(step);
  // The carrier phase ψ of a path is counted from the reference's own phase line (its intercept),
  // so that it means the same for both directions of a node pair (each reference has the
  // arbitrary common phase of its own first packet).
  std::complex<double> off = 0;
  for (std::size_t k = 0; k < n; ++k) off += ref[k] * std::polar(1.0, -slope * index[k]);
  const double intercept = std::arg(off);
  const std::size_t groups = (n + group_bins - 1) / group_bins;
  t.groups = groups;
  std::vector<std::complex<double>> s(n), d(n);
  for (double ex = 0; ex <= max_excess_m + 1e-9; ex += step_m) {
    const double tau = ex / 299'792'458.0;
    for (std::size_t k = 0; k < n; ++k) s[k] = std::polar(1.0, intercept + (slope - 2 * 3.14159265358979323846 * spacing_hz * tau) * index[k]);
    // LinkStream, linearised for a small path δ: its phase-slope estimate moves by
    // σ = Σ w_k·(φ_{k+1} − φ_k) / Σ w_k (φ_k = Im(δ_k·conj(ref_k))/|ref_k|², w_k = |ref_k|²·|ref_{k+1}|²),
    // it removes j·σ·m·ref, then the complex gain removes the projection onto ref. That is real-
    // linear, not complex-linear (a phase slope is removed, an amplitude tilt is not), so what is
    // left depends on the path's carrier phase against the static channel, which is arbitrary:
    // the table holds the mean over that phase, (|R(s)|² + |R(j·s)|²)/2.
    // u = R(s), w = R(j·s) per group: the path at carrier phase ψ leaves cos ψ·u + sin ψ·w.
    std::vector<std::complex<double>> uw[2];
    for (int r = 0; r < 2; ++r) {
      const auto rot = r ? std::complex<double>(0, 1) : std::complex<double>(1, 0);
      for (std::size_t k = 0; k < n; ++k) d[k] = rot * s[k];
      double sig = 0;
      for (std::size_t k = 0; k + 1 < n && wsum > 0; ++k) {
        if (index[k + 1] - index[k] != 1.0) continue;
        const double a = std::norm(ref[k]), b = std::norm(ref[k + 1]);
        if (!(a > 0 && b > 0)) continue;
        sig += a * b * (std::imag(d[k + 1] * std::conj(ref[k + 1])) / b - std::imag(d[k] * std::conj(ref[k])) / a);
      }
      sig = wsum > 0 ? sig / wsum : 0;
      std::complex<double> num = 0;
      for (std::size_t k = 0; k < n; ++k) {
        d[k] -= std::complex<double>(0, sig * index[k]) * ref[k];
        num += std::conj(ref[k]) * d[k];
      }
      const auto c = num / p;
      uw[r].assign(groups, {});
      for (std::size_t g = 0; g < groups; ++g) {
        std::complex<double> acc = 0;
        for (std::size_t k = g * group_bins; k < std::min(n, (g + 1) * group_bins); ++k) acc += d[k] - c * ref[k];
        uw[r][g] = acc / static_cast<double>(group_bins);
      }
    }
    // Gram matrix of the real-linear map over ψ: |cos ψ·u + sin ψ·w|² = cos²ψ·a + sin²ψ·b + sin 2ψ·c.
    double a = 0, b = 0, c = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      a += std::norm(uw[0][g]), b += std::norm(uw[1][g]), c += std::real(std::conj(uw[0][g]) * uw[1][g]);
    }
    const double e = 0.5 * (a + b);
    const double root = std::sqrt(0.25 * (a - b) * (a - b) + c * c);
    const double hi = e + root, lo = std::max(e - root, 0.0);
    t.gain.push_back(std::sqrt(e / groups) / rms);
    for (std::size_t g = 0; g < groups; ++g) t.u.push_back(uw[0][g] / rms), t.w.push_back(uw[1][g] / rms);
    t.spread.push_back(hi > 0 ? lo / hi : 1.0);
  }
  return t;
}

}  // namespace wdp::mat
