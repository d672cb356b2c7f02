// local_burst_ratio against hand-computed values: channels made of a breathing tone on a DFT
// bin plus an alternating ±1 sequence (the Nyquist tone, orthogonal to every removed bin), so
// the residual is exactly the alternating sequence.
#include "local_movement.h"

#include <gtest/gtest.h>

#include <cmath>

namespace wdp::mat {
namespace {

constexpr double kRate = 10, kN = 400;  // 40 s at 10 Hz: DFT bins every 0.025 Hz
constexpr double kBreathHz = 11 * 0.025;  // 16.5 /min, on a bin

std::vector<double> channel(double tone, double alt, std::size_t burst_block = 99, double burst_gain = 1) {
  std::vector<double> x(static_cast<std::size_t>(kN));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double a = (i / 10 == burst_block) ? alt * burst_gain : alt;
    x[i] = tone * std::cos(2 * M_PI * kBreathHz * i / kRate + 0.3) + a * ((i % 2) ? -1.0 : 1.0);
  }
  return x;
}

TEST(LocalMovement, SteadyResidualGivesOne) {
  const std::vector<std::vector<double>> ch{channel(5, 1), channel(3, 1), channel(0.1, 1)};
  EXPECT_NEAR(local_burst_ratio(ch, kBreathHz, kRate), 1.0, 1e-9);
}

TEST(LocalMovement, OneLoudBlockOnABreathingChannelGivesItsEnergyRatio) {
  // Amplitude ×3 in block 7 on the best breathing channel: that block's energy is 9× the others'
  // on that channel; with one other channel kept (top 2), (9 + 1) / (1 + 1) = 5. A 1 s burst is
  // not a pure Nyquist tone: about 1 % of it leaks onto the removed breathing bins.
  const std::vector<std::vector<double>> ch{channel(5, 1, 7, 3), channel(3, 1), channel(0.1, 1, 20, 10)};
  EXPECT_NEAR(local_burst_ratio(ch, kBreathHz, kRate, {.top_channels = 2}), 5.0, 0.05);
  // The weak-breathing channel's burst (block 20) is not looked at: only the top 2 count.
  // With all three channels, block 20 has (1 + 1 + 100) / 3 and block 7 (9 + 1 + 1) / 3: 102 / 3 over the median 1.
  EXPECT_NEAR(local_burst_ratio(ch, kBreathHz, kRate, {.top_channels = 3}), 102.0 / 3.0, 0.5);
}

TEST(LocalMovement, TooShortOrEmptyGivesZero) {
  EXPECT_EQ(local_burst_ratio({}, kBreathHz, kRate), 0.0);
  const std::vector<std::vector<double>> short_ch{std::vector<double>(25, 1.0)};
  EXPECT_EQ(local_burst_ratio(short_ch, kBreathHz, kRate), 0.0);  // 2 blocks of 10
}

}  // namespace
}  // namespace wdp::mat
