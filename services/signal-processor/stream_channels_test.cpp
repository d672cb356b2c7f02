#include "stream_channels.h"

#include <gtest/gtest.h>

namespace wdp::signal {
namespace {

TEST(StreamChannels, AmplitudePerStreamAndUnitRatioPhasors) {
  // Two receive chains, one transmit stream, two bins: H0 = (3+4j, 1), H1 = (5j, −2j).
  const std::vector<double> re{3, 1, 0, 0}, im{4, 0, 5, -2};
  std::vector<float> out;
  stream_channels(re, im, 2, 1, 2, true, out);
  // |H| stream-major, then H1·conj(H0)/|…|: (5j)(3−4j) = 20+15j → (0.8, 0.6); (−2j)(1) → (0, −1).
  const std::vector<float> expected{5, 1, 5, 2, 0.8f, 0.6f, 0, -1};
  ASSERT_EQ(out.size(), expected.size());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_FLOAT_EQ(out[i], expected[i]) << i;
  // Without the gain only the ratios; with one chain and no gain nothing.
  stream_channels(re, im, 2, 1, 2, false, out);
  EXPECT_EQ(out.size(), 4u);
  stream_channels(re, im, 1, 1, 2, false, out);
  EXPECT_TRUE(out.empty());
  // A zero bin gives the phasor (1, 0), not NaN.
  const std::vector<double> zr{0, 1}, zi{0, 1};
  stream_channels(zr, zi, 2, 1, 1, false, out);
  EXPECT_EQ(out, (std::vector<float>{1, 0}));
}

TEST(ChannelHistory, BoxcarMeansOnTheGridWithHeldGapsAndResets) {
  ChannelHistory h(10, 1.0, 4);
  const float a[] = {1, 10}, b[] = {3, 30}, c[] = {5, 50}, d[] = {7, 70};
  h.push(0.01, a);
  h.push(0.05, b);  // bucket 0: mean (2, 20)
  h.push(0.12, c);  // closes bucket 0; bucket 1: (5, 50)
  h.push(0.35, d);  // closes bucket 1, bucket 2 empty → repeats (5, 50)
  EXPECT_EQ(h.channels(), 2u);
  ASSERT_EQ(h.size(), 3u);
  std::vector<double> x;
  h.last(0, 3, x);
  EXPECT_EQ(x, (std::vector<double>{2, 5, 5}));
  h.last(1, 2, x);
  EXPECT_EQ(x, (std::vector<double>{50, 50}));
  h.push(0.41, d);  // closes bucket 3 (7, 70); capacity 4
  h.push(0.52, d);  // closes bucket 4; the oldest (2, 20) drops out
  h.last(0, 10, x);
  EXPECT_EQ(x, (std::vector<double>{5, 5, 7, 7}));
  h.push(2.0, d);  // gap > 1 s: starts over
  EXPECT_EQ(h.size(), 0u);
  const float three[] = {1, 2, 3};
  h.push(2.05, d);
  h.push(2.15, d);
  EXPECT_EQ(h.size(), 1u);
  h.push(2.25, three);  // channel count changed: starts over
  EXPECT_EQ(h.size(), 0u);
  EXPECT_EQ(h.channels(), 3u);
}

}  // namespace
}  // namespace wdp::signal
