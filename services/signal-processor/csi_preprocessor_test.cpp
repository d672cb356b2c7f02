#include "csi_preprocessor.h"

#include <gtest/gtest.h>

#include "test_frames.h"
#include "wdp/dsp/phase.h"

namespace wdp::signal {
namespace {

using testing::make_frame;

TEST(CsiPreprocessor, RemovesStoSlopeAndMapsToTheCanonicalGrid) {
  CsiPreprocessor pre;
  CanonicalFrame out;
  // Channel: amplitude 10 + m/28, phase 0.2·cos(m/6); plus STO slope −0.8 rad/index and CFO 2 rad.
  auto channel_phase = [](int m) { return 0.2 * std::cos(m / 6.0); };
  const auto f = make_frame([&](int m) { return std::polar(10.0 + m / 28.0, channel_phase(m) - 0.8 * m + 2.0); }, 0);
  ASSERT_EQ(pre.process(f, out), "");
  const auto& idx = dsp::canonical_indices();
  std::vector<double> expect(56), canon_idx(idx.begin(), idx.end());
  for (std::size_t k = 0; k < 56; ++k) expect[k] = channel_phase(idx[k]);
  dsp::detrend(expect, canon_idx);  // the channel's own line is indistinguishable from STO
  for (std::size_t k = 0; k < 56; ++k) {
    EXPECT_NEAR(out.amplitude[k], 10.0 + idx[k] / 28.0, 1e-5) << k;
    EXPECT_NEAR(out.phase[k], expect[k], 1e-5) << k;
  }
}

TEST(CsiPreprocessor, TwoReceiveChainsUseTheCsiRatioPhase) {
  CsiPreprocessor pre;
  CanonicalFrame out;
  // make_frame rotates chain r by 0.7·r: the ratio phase is −0.7 everywhere, whatever the CFO.
  const auto f = make_frame([](int m) { return std::polar(5.0, -1.3 * m + 2.5); }, 0, -28, 28, 2);
  ASSERT_EQ(pre.process(f, out), "");
  for (double p : out.phase) EXPECT_NEAR(p, -0.7, 1e-5);
}

TEST(CsiPreprocessor, RejectsWhatItCannotUse) {
  CsiPreprocessor pre;
  CanonicalFrame out;
  auto f = make_frame([](int) { return std::complex<double>(1, 1); }, 0);
  auto unknown = f;
  unknown.clear_subcarrier_index();
  EXPECT_EQ(pre.process(unknown, out), "unknown_layout");
  auto zero = make_frame([](int) { return std::complex<double>(0, 0); }, 0);
  EXPECT_EQ(pre.process(zero, out), "all_zero");
  auto nan = make_frame([](int m) { return m == 5 ? std::complex<double>(NAN, 0) : std::complex<double>(1, 0); }, 0);
  EXPECT_EQ(pre.process(nan, out), "non_finite");
  auto inf = make_frame([](int m) { return m == -7 ? std::complex<double>(1, -INFINITY) : std::complex<double>(1, 0); }, 0);
  EXPECT_EQ(pre.process(inf, out), "non_finite");
  auto shape = f;
  shape.set_n_bins(3);
  EXPECT_EQ(pre.process(shape, out), "inconsistent_frame");
  auto tiny = make_frame([](int) { return std::complex<double>(1, 1); }, 0, -2, 2);
  EXPECT_EQ(pre.process(tiny, out), "too_few_bins");
  auto amp_only = f;
  amp_only.set_amplitude_only(true);
  EXPECT_EQ(pre.process(amp_only, out), "");
  EXPECT_FALSE(out.has_phase);
}

}  // namespace
}  // namespace wdp::signal
