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

ObservabilityTable observability_table(const std::vector<std::complex<double>>& ref, const std::vector<double>& index,
                                       std::size_t group_bins, double spacing_hz, double max_excess_m, double step_m) {
  ObservabilityTable t;
  t.step_m = step_m;
  const std::size_t n = ref.size();
  if (n < 3 || index.size() != n || group_bins == 0) return t;
  double p = 0;
  for (auto z : ref) p += std::norm(z);
  const double rms = std::sqrt(p / n);
  // Basis a_k = ref_k, b_k = m_k·ref_k; Gram matrix for the least-squares projection.
  std::complex<double> gaa = 0, gab = 0, gbb = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const auto a = ref[k], b = index[k] * ref[k];
    gaa += std::conj(a) * a, gab += std::conj(a) * b, gbb += std::conj(b) * b;
  }
  const auto det = gaa * gbb - gab * std::conj(gab);
  const std::size_t groups = (n + group_bins - 1) / group_bins;
  std::vector<std::complex<double>> s(n);
  for (double ex = 0; ex <= max_excess_m + 1e-9; ex += step_m) {
    const double tau = ex / 299'792'458.0;
    std::complex<double> pa = 0, pb = 0;
    for (std::size_t k = 0; k < n; ++k) {
      s[k] = std::polar(1.0, -2 * 3.14159265358979323846 * index[k] * spacing_hz * tau);
      pa += std::conj(ref[k]) * s[k];
      pb += std::conj(index[k] * ref[k]) * s[k];
    }
    std::complex<double> ca = 0, cb = 0;
    if (std::abs(det) > 1e-30) {
      ca = (gbb * pa - gab * pb) / det;
      cb = (gaa * pb - std::conj(gab) * pa) / det;
    }
    double e = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      std::complex<double> acc = 0;
      std::size_t cnt = 0;
      for (std::size_t k = g * group_bins; k < std::min(n, (g + 1) * group_bins); ++k, ++cnt) {
        acc += s[k] - ca * ref[k] - cb * index[k] * ref[k];
      }
      e += std::norm(acc / static_cast<double>(group_bins));
    }
    t.gain.push_back(std::sqrt(e / groups) / rms);
  }
  return t;
}

}  // namespace wdp::mat
