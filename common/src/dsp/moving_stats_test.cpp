#include "wdp/dsp/moving_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace wdp::dsp {

TEST(MovingStats, MatchesDirectComputationOverTheWindow) {
  MovingStats m(2, 5);
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-1e3, 1e3);
  std::vector<std::vector<double>> seen;
  for (int t = 0; t < 1000; ++t) {
    std::vector<double> x{u(rng), 1e6 + u(rng) * 1e-3};  // large offset, small spread: drift-prone
    m.push(x);
    seen.push_back(x);
    const std::size_t n = std::min<std::size_t>(5, seen.size());
    for (std::size_t c = 0; c < 2; ++c) {
      double s = 0;
      for (std::size_t i = seen.size() - n; i < seen.size(); ++i) s += seen[i][c];
      const double mean = s / double(n);
      double v = 0;
      for (std::size_t i = seen.size() - n; i < seen.size(); ++i) v += (seen[i][c] - mean) * (seen[i][c] - mean);
      v /= double(n);
      ASSERT_NEAR(m.mean(c), mean, 1e-9 * std::max(1.0, std::abs(mean)));
      if (n >= 2) {
        ASSERT_NEAR(m.variance(c), v, 1e-6 * std::max(1.0, v) + 1e-6) << t << " " << c;
      }
    }
  }
  std::vector<double> h;
  m.history(0, h);
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h.back(), seen.back()[0]);
  EXPECT_EQ(h.front(), seen[seen.size() - 5][0]);
  std::vector<double> tail;
  m.last(1, 3, tail);
  ASSERT_EQ(tail.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(tail[i], seen[seen.size() - 3 + i][1]);
  m.last(0, 99, tail);  // more than held: everything, oldest first
  EXPECT_EQ(tail, h);
}

}  // namespace wdp::dsp
