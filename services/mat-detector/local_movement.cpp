#include "local_movement.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace wdp::mat {
namespace {

constexpr double kTwoPi = 6.283185307179586;

struct Fitted {
  std::vector<double> residual;
  double score = 0;  // fitted tone energy / residual energy
};

Fitted remove_breathing(const std::vector<double>& x, const Eigen::MatrixXd& basis, const Eigen::LDLT<Eigen::MatrixXd>& normal) {
  const Eigen::Map<const Eigen::VectorXd> y(x.data(), static_cast<Eigen::Index>(x.size()));
  const Eigen::VectorXd coef = normal.solve(basis.transpose() * y);
  const Eigen::VectorXd fit = basis * coef;
  Fitted f;
  f.residual.resize(x.size());
  double res = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    f.residual[i] = x[i] - fit[static_cast<Eigen::Index>(i)];
    res += f.residual[i] * f.residual[i];
  }
  f.score = res > 0 ? fit.squaredNorm() / res : 0;
  return f;
}

}  // namespace

double local_burst_ratio(std::span<const std::vector<double>> channels, double breathing_hz, double rate_hz,
                         const LocalMovementParams& p) {
  if (channels.empty() || p.block == 0) return 0;
  const std::size_t n = channels.front().size();
  const std::size_t blocks = n / p.block;
  if (blocks < 3) return 0;
  // Breathing is not a pure tone (its rate wanders): remove every DFT frequency within ±25 % of
  // the rate and of its second harmonic, so that what is left of breathing cannot look like a burst.
  std::vector<double> freqs;
  const double step = rate_hz / static_cast<double>(n);
  for (double h : {1.0, 2.0}) {
    // Whole DFT bins (k · rate / n), so the removed set is orthogonal to everything else.
    const auto lo = static_cast<long>(std::ceil(h * breathing_hz * (1 - p.band) / step));
    const auto hi = static_cast<long>(std::floor(h * breathing_hz * (1 + p.band) / step));
    for (long k = std::max(1L, lo); k <= hi && 2 * k < static_cast<long>(n); ++k) freqs.push_back(static_cast<double>(k) * step);
  }
  if (freqs.empty()) freqs.push_back(breathing_hz);
  Eigen::MatrixXd basis(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(2 * freqs.size()));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < freqs.size(); ++k) {
      const double ph = kTwoPi * freqs[k] * static_cast<double>(i) / rate_hz;
      basis(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(2 * k)) = std::cos(ph);
      basis(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(2 * k + 1)) = std::sin(ph);
    }
  }
  const Eigen::LDLT<Eigen::MatrixXd> normal(basis.transpose() * basis);
  std::vector<Fitted> fitted;
  fitted.reserve(channels.size());
  for (const auto& c : channels) fitted.push_back(remove_breathing(c, basis, normal));
  const std::size_t k = std::min(p.top_channels, fitted.size());
  std::partial_sort(fitted.begin(), fitted.begin() + static_cast<std::ptrdiff_t>(k), fitted.end(),
                    [](const Fitted& a, const Fitted& b) { return a.score > b.score; });
  std::vector<double> energy(blocks, 0.0);
  for (std::size_t c = 0; c < k; ++c) {
    for (std::size_t b = 0; b < blocks; ++b) {
      for (std::size_t i = b * p.block; i < (b + 1) * p.block; ++i) energy[b] += fitted[c].residual[i] * fitted[c].residual[i];
    }
  }
  auto sorted = energy;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(blocks / 2), sorted.end());
  const double med = sorted[blocks / 2];
  return med > 0 ? *std::max_element(energy.begin(), energy.end()) / med : 0;
}

}  // namespace wdp::mat
