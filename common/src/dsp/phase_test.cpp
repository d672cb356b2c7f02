#include "wdp/dsp/phase.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace wdp::dsp {
namespace {

std::vector<double> iota_index(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = double(i);
  return x;
}

TEST(Phase, RampDetrendsToZero) {  // reference golden: 0.5·i over 56 values
  std::vector<double> y(56);
  for (int i = 0; i < 56; ++i) y[i] = 0.5 * i;
  const auto f = detrend(y, iota_index(56));
  EXPECT_NEAR(f.slope, 0.5, 1e-12);
  for (double v : y) EXPECT_LT(std::abs(v), 1e-10);
}

TEST(Phase, WrappedRampUnwrapsWithoutJumps) {
  std::vector<double> y(100);
  for (int i = 0; i < 100; ++i) y[i] = wrap_pi(0.4 * i);
  unwrap(y);
  for (int i = 1; i < 100; ++i) EXPECT_LT(std::abs(y[i] - y[i - 1]), 1.0);
  // 0 -> 4π over 100 samples: increments match the true ramp.
  std::vector<double> r(100);
  for (int i = 0; i < 100; ++i) r[i] = wrap_pi(4 * kPi * i / 99.0);
  unwrap(r);
  for (int i = 1; i < 100; ++i) EXPECT_LT(std::abs((r[i] - r[i - 1]) - 4 * kPi / 99.0), 0.1);
}

TEST(Phase, EmptyAndSingleSample) {
  std::vector<double> e, idx;
  unwrap(e);
  EXPECT_EQ(detrend(e, idx).slope, 0);
  std::vector<double> one{1.7}, i1{5};
  detrend(one, i1);
  EXPECT_EQ(one[0], 0);
}

// CFO/STO remove: a linear phase over TRUE HT20 indices (-28..28 without DC) plus a small
// subcarrier-dependent channel phase: detrending against the true indices recovers the channel
// exactly, while fitting on 0..n-1 across the DC gap leaves a residual.
TEST(Phase, DetrendAgainstTrueIndicesRemovesStoAcrossTheDcGap) {
  std::vector<double> idx;
  for (int k = -28; k <= 28; ++k) {
    if (k != 0) idx.push_back(k);
  }
  std::vector<double> channel(idx.size());
  for (std::size_t i = 0; i < idx.size(); ++i) channel[i] = 0.3 * std::cos(idx[i] / 5.0);
  std::vector<double> measured(idx.size());
  for (std::size_t i = 0; i < idx.size(); ++i) measured[i] = wrap_pi(channel[i] - 0.9 * idx[i] + 2.1);
  std::vector<double> y = measured;
  unwrap(y);
  detrend(y, idx);
  std::vector<double> truth = channel;
  detrend(truth, idx);  // the channel's own linear part is indistinguishable from STO
  for (std::size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], truth[i], 1e-9);
  std::vector<double> naive = measured;
  unwrap(naive);
  detrend(naive, iota_index(naive.size()));
  double worst = 0;
  for (std::size_t i = 0; i < y.size(); ++i) worst = std::max(worst, std::abs(naive[i] - truth[i]));
  EXPECT_GT(worst, 0.1);  // the defect the reference has
}

TEST(Phase, WrapPi) {
  EXPECT_NEAR(wrap_pi(3 * kPi), kPi, 1e-12);
  EXPECT_NEAR(wrap_pi(-kPi), kPi, 1e-12);
  EXPECT_NEAR(wrap_pi(0.5), 0.5, 1e-15);
}

TEST(TemporalUnwrap, FollowsAPhaseThatRotatesManyTurns) {
  TemporalUnwrap u(2);
  std::vector<double> raw(2), out(2);
  for (int t = 0; t < 200; ++t) {
    raw[0] = wrap_pi(0.3 * t);
    raw[1] = wrap_pi(-0.7 * t + 1);
    u.push(raw, out);
    EXPECT_NEAR(out[0], 0.3 * t, 1e-9);
    EXPECT_NEAR(out[1], -0.7 * t + 1, 1e-9);
  }
  std::vector<double> bad(3);
  EXPECT_THROW(u.push(bad, bad), std::invalid_argument);
}

// The fast path of wrap_pi (one ±2π step) must equal the remainder() form exactly.
TEST(Phase, WrapPiFastPathEqualsRemainder) {
  for (int i = -200000; i <= 200000; ++i) {
    const double x = i * 1e-4 * kPi;  // −20π … 20π, including near ±π, ±2.5π
    double ref = std::remainder(x, 2 * kPi);
    if (ref <= -kPi) ref += 2 * kPi;
    ASSERT_EQ(wrap_pi(x), ref) << x;
  }
}

// fast_atan2 against std::atan2: every int8 I/Q pair, a dense circle at several radii, and the
// signed-zero cases.
TEST(Phase, FastAtan2WithinTolerance) {
  double worst = 0;
  for (int re = -128; re < 128; ++re) {
    for (int im = -128; im < 128; ++im) worst = std::max(worst, std::abs(fast_atan2(im, re) - std::atan2(double(im), double(re))));
  }
  for (int i = 0; i < 200000; ++i) {
    const double a = -kPi + 2 * kPi * i / 200000.0, r = std::pow(10.0, i % 7 - 3);
    const double x = r * std::cos(a), y = r * std::sin(a);
    worst = std::max(worst, std::abs(fast_atan2(y, x) - std::atan2(y, x)));
  }
  EXPECT_LT(worst, 1e-8);
  EXPECT_EQ(fast_atan2(0.0, 0.0), 0.0);
  EXPECT_EQ(fast_atan2(0.0, -1.0), kPi);
  EXPECT_EQ(fast_atan2(-0.0, -1.0), -kPi);
  EXPECT_NEAR(fast_atan2(1.0, 0.0), kPi / 2, 1e-15);
  EXPECT_NEAR(fast_atan2(-1.0, 0.0), -kPi / 2, 1e-15);
}

// The batch form is the scalar form lane by lane: bit-identical on every int8 pair, a random
// wide-range set, signed zeros, ±inf and odd lengths (the scalar tail).
TEST(Phase, FastAtan2BatchIsBitIdenticalToScalar) {
  std::vector<double> y, x;
  for (int re = -128; re < 128; ++re) {
    for (int im = -128; im < 128; ++im) {
      x.push_back(re);
      y.push_back(im);
    }
  }
  std::mt19937 rng(3);
  std::normal_distribution<double> n01(0, 1);
  for (int i = 0; i < 100000; ++i) {
    x.push_back(n01(rng) * std::pow(10.0, i % 9 - 4));
    y.push_back(n01(rng) * std::pow(10.0, i % 5 - 2));
  }
  for (double a : {0.0, -0.0, 1.0, -1.0, double(INFINITY), -double(INFINITY)}) {
    for (double b : {0.0, -0.0, 1.0, -1.0, double(INFINITY), -double(INFINITY)}) {
      y.push_back(a);
      x.push_back(b);
    }
  }
  y.push_back(0.5);  // odd length: the last values go through the scalar tail
  x.push_back(-0.25);
  const bool had_avx2 = detail::fast_atan2_avx2;
  for (bool avx2 : {false, had_avx2}) {  // SSE2, then AVX2 where the CPU has it
    detail::fast_atan2_avx2 = avx2;
    std::vector<double> out(x.size());
    fast_atan2(y, x, out);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double ref = fast_atan2(y[i], x[i]);
      ASSERT_EQ(std::memcmp(&out[i], &ref, sizeof ref), 0) << avx2 << " " << y[i] << ", " << x[i] << ": " << out[i] << " vs " << ref;
    }
  }
  detail::fast_atan2_avx2 = had_avx2;
  std::vector<double> short_out(3);
  EXPECT_THROW(fast_atan2(std::span<const double>(y).first(4), std::span<const double>(x).first(4), short_out),
               std::invalid_argument);
}

}  // namespace
}  // namespace wdp::dsp
