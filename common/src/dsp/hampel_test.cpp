#include "wdp/dsp/hampel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace wdp::dsp {
namespace {

std::vector<std::size_t> run(std::vector<double> x, HampelParams p = {}, std::vector<double>* out = nullptr) {
  std::vector<double> y(x.size());
  auto o = hampel_filter(x, y, p);
  if (out) *out = y;
  return o;
}

// Golden vectors of signal-reference.md §1.
TEST(Hampel, CleanSineIsUntouched) {
  std::vector<double> x(100), y;
  for (int i = 0; i < 100; ++i) x[i] = std::sin(0.1 * i);
  EXPECT_TRUE(run(x, {}, &y).empty());
  for (int i = 0; i < 100; ++i) EXPECT_NEAR(y[i], x[i], 1e-10);
}

TEST(Hampel, SpikeInConstantIsReplacedByMedian) {
  std::vector<double> x(50, 1.0), y;
  x[25] = 100;
  EXPECT_EQ(run(x, {}, &y), std::vector<std::size_t>{25});
  EXPECT_EQ(y[25], 1.0);
}

TEST(Hampel, ThreeSpikesInSlowSine) {
  std::vector<double> x(200);
  for (int i = 0; i < 200; ++i) x[i] = std::sin(0.05 * i);
  x[30] = 50;
  x[100] = -50;
  x[170] = 80;
  const auto o = run(x, {.half_window = 5});
  for (std::size_t i : {30u, 100u, 170u}) EXPECT_NE(std::find(o.begin(), o.end(), i), o.end()) << i;
}

TEST(Hampel, PeriodicSpikesGiveOutliers) {
  std::vector<double> x(100, 0.0);
  for (int i = 0; i < 100; i += 3) x[i] = 50;
  EXPECT_FALSE(run(x, {.half_window = 5}).empty());
}

TEST(Hampel, RowsAreFilteredIndependently) {
  EXPECT_EQ(run({1, 1, 100, 1, 1, 1, 1}), std::vector<std::size_t>{2});
  EXPECT_EQ(run({2, 2, 2, 2, -80, 2, 2}), std::vector<std::size_t>{4});
}

TEST(Hampel, SigmaFloorKeepsOneLsbSteps) {
  // Quantized data toggling by one step: MAD is 0, so without a floor every step is an "outlier".
  std::vector<double> x{40, 40, 41, 40, 40, 41, 41, 40, 40, 40, 41, 40, 80, 40};
  EXPECT_GT(run(x).size(), 1u);
  const auto o = run(x, {.min_relative_sigma = 0.01});
  EXPECT_EQ(o, std::vector<std::size_t>{12});  // only the real spike
}

TEST(Hampel, Median) {
  std::vector<double> a{1, 3, 2}, b{1, 2, 3, 4}, c{5};
  EXPECT_EQ(median_inplace(a), 2);
  EXPECT_EQ(median_inplace(b), 2.5);
  EXPECT_EQ(median_inplace(c), 5);
}

TEST(Hampel, RejectsBadArguments) {
  std::vector<double> x, y;
  EXPECT_THROW(hampel_filter(x, y), std::invalid_argument);
  x = {1, 2};
  y.resize(2);
  EXPECT_THROW(hampel_filter(x, y, {.half_window = 0}), std::invalid_argument);
}

// The streaming bank must reproduce the batch filter on every channel, warm-up and flush included.
TEST(HampelBank, EqualsBatchFilterPerChannel) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 1);
  for (std::size_t n : {1u, 2u, 3u, 5u, 50u}) {
    const std::size_t channels = 4;
    std::vector<std::vector<double>> x(channels, std::vector<double>(n));
    for (auto& ch : x) {
      for (auto& v : ch) v = static_cast<float>(noise(rng) + (rng() % 10 == 0 ? 20 : 0));
    }
    HampelBank bank(channels);
    std::vector<std::vector<float>> got(channels);
    std::vector<float> frame(channels), out(channels);
    for (std::size_t t = 0; t < n; ++t) {
      for (std::size_t c = 0; c < channels; ++c) frame[c] = static_cast<float>(x[c][t]);
      if (bank.push(frame, out)) {
        for (std::size_t c = 0; c < channels; ++c) got[c].push_back(out[c]);
      }
    }
    while (bank.flush(out)) {
      for (std::size_t c = 0; c < channels; ++c) got[c].push_back(out[c]);
    }
    for (std::size_t c = 0; c < channels; ++c) {
      std::vector<double> expect(n);
      hampel_filter(x[c], expect);
      ASSERT_EQ(got[c].size(), n);
      for (std::size_t t = 0; t < n; ++t) EXPECT_FLOAT_EQ(got[c][t], static_cast<float>(expect[t])) << n << " " << c << " " << t;
    }
  }
}

// The h = 3 sorting-network path must give bit-identical values to the sort-based batch filter:
// quantized data (many ties, MAD = 0), sigma floors, spikes, negative values, and channel counts
// that are not a multiple of the vector width; outlier counts must agree too.
TEST(HampelBank, VectorPathIsBitExact) {
  const bool had_avx2 = detail::hampel_avx2, had_avx512 = detail::hampel_avx512;
  for (int kernel : {0, 1, 2}) {  // portable, AVX2, AVX-512 (where the CPU has them)
  detail::hampel_avx2 = kernel == 1 && had_avx2;
  detail::hampel_avx512 = kernel == 2 && had_avx512;
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0, 1);
  const HampelParams params[] = {{}, {.min_relative_sigma = 0.02}, {.min_sigma = 0.05}, {.threshold = 5.0}};
  for (const auto& p : params) {
    for (std::size_t channels : {1u, 3u, 56u, 57u}) {
      const std::size_t n = 300;
      std::vector<std::vector<double>> x(channels, std::vector<double>(n));
      for (std::size_t c = 0; c < channels; ++c) {
        const double level = c % 3 == 0 ? 30 : (c % 3 == 1 ? -2 : 0.5);
        for (auto& v : x[c]) {
          double raw = level + (c % 2 ? std::round(noise(rng)) : 0.3 * noise(rng)) + (rng() % 12 == 0 ? 15 * noise(rng) : 0);
          v = static_cast<float>(raw);
        }
      }
      HampelBank bank(channels, p);
      std::vector<std::vector<float>> got(channels);
      std::vector<float> frame(channels), out(channels);
      for (std::size_t t = 0; t < n; ++t) {
        for (std::size_t c = 0; c < channels; ++c) frame[c] = static_cast<float>(x[c][t]);
        if (bank.push(frame, out)) {
          for (std::size_t c = 0; c < channels; ++c) got[c].push_back(out[c]);
        }
      }
      while (bank.flush(out)) {
        for (std::size_t c = 0; c < channels; ++c) got[c].push_back(out[c]);
      }
      std::uint64_t expected_outliers = 0;
      for (std::size_t c = 0; c < channels; ++c) {
        std::vector<double> expect(n);
        expected_outliers += hampel_filter(x[c], expect, p).size();
        ASSERT_EQ(got[c].size(), n);
        for (std::size_t t = 0; t < n; ++t) {
          ASSERT_EQ(got[c][t], static_cast<float>(expect[t])) << channels << " " << c << " " << t;
        }
      }
      EXPECT_EQ(bank.outliers(), expected_outliers);
      EXPECT_GT(expected_outliers, 0u);
    }
  }
  }
  detail::hampel_avx2 = had_avx2;
  detail::hampel_avx512 = had_avx512;
}

}  // namespace
}  // namespace wdp::dsp
