#include "csi_preprocessor.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "shape_frames.h"
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

// The int8 fast path (integer power, table square root) against the generic path, which the same
// frame takes when its samples are float32: bit-identical amplitude and phase for every int8 I/Q
// pair (257 frames of 4×64, or 1025 of 1×64, cover all 65,536), with 4 streams and with 1.
TEST(CsiPreprocessor, Int8FastPathEqualsTheGenericPath) {
  for (std::uint32_t rx : {4u, 1u}) {
    testing::Shape shape = testing::kShapes[1];
    shape.rx = rx;
    std::mt19937 rng(7);
    auto f = testing::make_shape_frame(shape, 0, rng);
    CsiPreprocessor fast, generic;
    CanonicalFrame a, b;
    int pair = 0;
    for (int frame = 0; frame < 65536 / int(rx * 64) + 1; ++frame) {
      std::string s8 = f.samples(), s32;
      for (std::size_t k = 0; k + 1 < s8.size(); k += 2, ++pair) {
        s8[k] = static_cast<char>(pair % 256 - 128);
        s8[k + 1] = static_cast<char>((pair / 256) % 256 - 128);
      }
      for (char c : s8) {
        const float v = static_cast<float>(static_cast<std::int8_t>(c));
        s32.append(reinterpret_cast<const char*>(&v), sizeof v);
      }
      auto f8 = f, f32 = f;
      f8.set_samples(s8);
      f32.set_samples(s32);
      f32.set_sample_type(v1::SAMPLE_TYPE_FLOAT32_LE);
      const auto why = fast.process(f8, a);
      ASSERT_EQ(why, generic.process(f32, b));
      if (!why.empty()) continue;  // an all-zero frame is rejected by both
      for (std::size_t k = 0; k < 56; ++k) {
        ASSERT_EQ(std::memcmp(&a.amplitude[k], &b.amplitude[k], sizeof(double)), 0) << rx << " " << frame << " " << k;
        ASSERT_EQ(std::memcmp(&a.phase[k], &b.phase[k], sizeof(double)), 0) << rx << " " << frame << " " << k;
      }
    }
    EXPECT_GE(pair, 65536);
  }
}

}  // namespace
}  // namespace wdp::signal
