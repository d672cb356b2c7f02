#include "wdp/dsp/resample.h"

#include <gtest/gtest.h>

#include <cmath>

namespace wdp::dsp {
namespace {

TEST(ResampleByPosition, ReferenceGoldens) {
  std::vector<double> in(114), out(56);
  for (int i = 0; i < 114; ++i) in[i] = std::sin(0.1 * i);
  resample_linear_by_position(in, out);
  EXPECT_NEAR(out.front(), in.front(), 1e-5);
  EXPECT_NEAR(out.back(), in.back(), 1e-5);
  std::vector<double> ramp(8), up(16);
  for (int i = 0; i < 8; ++i) ramp[i] = i;
  resample_linear_by_position(ramp, up);
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(up[i], i * 7.0 / 15.0, 1e-5);
  std::vector<double> r2(16), down(8);
  for (int i = 0; i < 16; ++i) r2[i] = 2 * i;
  resample_linear_by_position(r2, down);
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(down[i], i * 30.0 / 7.0, 1e-4);
}

// A quantity linear in frequency must land exactly on the canonical grid from any layout.
TEST(SubcarrierMapper, LinearInRelativeFrequencyIsExactFromEveryLayout) {
  auto check = [](std::vector<int> idx, std::vector<bool> valid) {
    std::vector<double> in(idx.size());
    int extent = 0;
    for (std::size_t i = 0; i < idx.size(); ++i) {
      if (valid[i]) extent = std::max(extent, std::abs(idx[i]));
    }
    for (std::size_t i = 0; i < idx.size(); ++i) in[i] = valid[i] ? 3.0 + 2.0 * idx[i] / extent : 1e9;  // nulls hold junk
    bool arr[512];  // std::vector<bool> has no span
    for (std::size_t i = 0; i < valid.size(); ++i) arr[i] = valid[i];
    SubcarrierMapper m(idx, std::span<const bool>(arr, valid.size()));
    std::vector<double> out(kCanonicalBins);
    m.map(in, out);
    for (std::size_t k = 0; k < kCanonicalBins; ++k) {
      EXPECT_NEAR(out[k], 3.0 + 2.0 * canonical_indices()[k] / 28.0, 1e-12) << k;
    }
  };
  // ESP32 HT20 buffer order 0..31, -32..-1 with nulls outside ±28 and at DC.
  std::vector<int> esp;
  std::vector<bool> esp_valid;
  for (int j = 0; j < 64; ++j) {
    const int m = j < 32 ? j : j - 64;
    esp.push_back(m);
    esp_valid.push_back(m != 0 && std::abs(m) <= 28);
  }
  check(esp, esp_valid);
  // HT40: ±2..±58.
  std::vector<int> ht40;
  std::vector<bool> ht40_valid;
  for (int m = -64; m < 64; ++m) {
    ht40.push_back(m);
    ht40_valid.push_back(std::abs(m) >= 2 && std::abs(m) <= 58);
  }
  check(ht40, ht40_valid);
  // Intel 5300 20 MHz groups: -28,-26,...,-2,-1,1,3,...,27,28.
  std::vector<int> intel = {-28, -26, -24, -22, -20, -18, -16, -14, -12, -10, -8, -6, -4, -2, -1,
                            1,   3,   5,   7,   9,   11,  13,  15,  17,  19,  21, 23, 25, 27, 28};
  check(intel, std::vector<bool>(intel.size(), true));
}

TEST(SubcarrierMapper, RejectsTooFewValidBins) {
  std::vector<int> idx{0, 1};
  bool v[] = {false, true};
  EXPECT_THROW(SubcarrierMapper(idx, v), std::invalid_argument);
}

TEST(UniformResampler, InterpolatesJitteredSamplesOntoTheGrid) {
  std::vector<std::pair<double, double>> got;
  UniformResampler r(1, 10.0, 0.5, [&](double t, std::span<const double> v) { got.emplace_back(t, v[0]); });
  // A line y = 2t sampled at jittered times: every grid point is exact.
  // At most one sample per grid period: every grid point is interpolated.
  const double times[] = {0.0, 0.07, 0.21, 0.33, 0.45, 0.52, 0.61};
  for (double t : times) {
    const double y = 2 * t;
    r.push(t, std::span<const double>(&y, 1));
  }
  ASSERT_EQ(got.size(), 7u);  // 0.0, 0.1, ..., 0.6
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i].first, 0.1 * i, 1e-9);
    EXPECT_NEAR(got[i].second, 2 * got[i].first, 1e-9);
  }
}

TEST(UniformResampler, AveragesWhenTheInputIsFasterThanTheGrid) {
  std::vector<std::pair<double, double>> got;
  UniformResampler r(1, 10.0, 0.5, [&](double t, std::span<const double> v) { got.emplace_back(t, v[0]); });
  // The grid starts at the first sample (t = 0); then 100 Hz input alternating ±1 around 5,
  // placed mid-way between grid boundaries: each grid period holds 10 samples, mean exactly 5.
  const double first = 5;
  r.push(0.0, std::span<const double>(&first, 1));
  for (int i = 0; i < 100; ++i) {
    const double t = 0.005 + i * 0.01, y = 5 + (i % 2 ? 1.0 : -1.0);
    r.push(t, std::span<const double>(&y, 1));
  }
  ASSERT_GE(got.size(), 10u);
  for (std::size_t i = 1; i < got.size(); ++i) EXPECT_NEAR(got[i].second, 5.0, 1e-9) << i;
}

TEST(UniformResampler, DoesNotBridgeGapsAndIgnoresTimeGoingBack) {
  std::vector<double> times;
  UniformResampler r(1, 10.0, 0.5, [&](double t, std::span<const double>) { times.push_back(t); });
  const double y = 1;
  for (double t : {0.0, 0.1, 0.2, 5.0, 5.1, 5.05}) r.push(t, std::span<const double>(&y, 1));
  EXPECT_EQ(r.gaps(), 1u);
  EXPECT_EQ(r.out_of_order(), 1u);
  EXPECT_EQ(times, (std::vector<double>{0.0, 0.1, 0.2, 5.0, 5.1}));
}

}  // namespace
}  // namespace wdp::dsp
