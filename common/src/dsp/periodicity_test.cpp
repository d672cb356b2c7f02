#include "wdp/dsp/periodicity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "wdp/dsp/phase.h"

namespace wdp::dsp {
namespace {

// C channels of a breathing-like waveform at `bpm` on `sensitive` of them, noise everywhere.
std::vector<std::vector<double>> make_channels(double bpm, double fs, double seconds, std::size_t channels,
                                               std::size_t sensitive, double noise, double harmonic, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n01(0, 1);
  const auto n = static_cast<std::size_t>(seconds * fs);
  std::vector<std::vector<double>> x(channels, std::vector<double>(n));
  const double f = bpm / 60;
  for (std::size_t c = 0; c < channels; ++c) {
    const double gain = c < sensitive ? 1.0 + 0.1 * c : 0.0;
    const double phase = 0.3 * c;
    for (std::size_t i = 0; i < n; ++i) {
      const double t = double(i) / fs;
      x[c][i] = 10 + 0.01 * t + gain * (std::sin(2 * kPi * f * t + phase) + harmonic * std::sin(4 * kPi * f * t + 2 * phase)) +
                noise * n01(rng);
    }
  }
  return x;
}

PeriodicityEstimate run(PeriodicityEstimator& e, const std::vector<std::vector<double>>& x,
                        std::vector<double> exclude = {}) {
  std::vector<std::span<const double>> spans(x.begin(), x.end());
  return e.estimate(spans, exclude);
}

TEST(Periodicity, BreathingRatesAcrossTheBand) {
  PeriodicityEstimator e({.sample_rate_hz = 20, .band_lo_hz = 0.1, .band_hi_hz = 0.5});
  for (double bpm : {6.5, 10.0, 15.0, 22.0, 29.0}) {
    const auto x = make_channels(bpm, 20, 30, 56, 10, 0.5, 0.0, 1);
    const auto est = run(e, x);
    EXPECT_NEAR(est.rate_per_min, bpm, 0.5) << bpm;
    EXPECT_GT(est.confidence, 0.8) << bpm;
  }
}

// The trap of signal-reference.md §10.3: a strong 2nd harmonic must not win.
TEST(Periodicity, PrefersTheFundamentalOverAStrongerSecondHarmonic) {
  PeriodicityEstimator e({.sample_rate_hz = 10, .band_lo_hz = 0.1, .band_hi_hz = 0.5});
  for (double bpm : {10.0, 12.0, 14.0}) {
    const auto x = make_channels(bpm, 10, 30, 30, 8, 0.3, 1.4, 2);
    EXPECT_NEAR(run(e, x).rate_per_min, bpm, 0.5) << bpm;
  }
}

TEST(Periodicity, NoiseAloneHasLowConfidence) {
  PeriodicityEstimator e({.sample_rate_hz = 20, .band_lo_hz = 0.1, .band_hi_hz = 0.5});
  const auto x = make_channels(15, 20, 30, 56, 0, 1.0, 0.0, 3);
  EXPECT_LT(run(e, x).confidence, 0.7);
}

TEST(Periodicity, HeartRateWithBreathingHarmonicsMasked) {
  PeriodicityEstimator e({.sample_rate_hz = 20, .band_lo_hz = 0.8, .band_hi_hz = 2.0});
  // Breathing at 18 BPM with a strong 5th harmonic in the heart band (1.5 Hz), heart at 63 BPM
  // (1.05 Hz) three times weaker than that harmonic.
  std::mt19937 rng(4);
  std::normal_distribution<double> n01(0, 1);
  const std::size_t n = 20 * 15;
  std::vector<std::vector<double>> x(20, std::vector<double>(n));
  for (auto& ch : x) {
    for (std::size_t i = 0; i < n; ++i) {
      const double t = double(i) / 20;
      ch[i] = std::sin(2 * kPi * 0.3 * t) + 0.3 * std::sin(2 * kPi * 1.5 * t) + 0.1 * std::sin(2 * kPi * 1.05 * t) +
              0.01 * n01(rng);
    }
  }
  std::vector<double> harmonics;
  for (int h = 2; h <= 7; ++h) harmonics.push_back(0.3 * h);
  EXPECT_NEAR(run(e, x, harmonics).rate_per_min, 63, 3);
  EXPECT_NEAR(run(e, x).rate_per_min, 90, 3);  // without the mask the harmonic wins
}

// A line at the noise floor of each of 300 channels (random phase per channel): all channels
// combined find it with confidence; the top-8 mode, which picks the largest noise peaks, does not;
// noise alone stays below the 0.6 gate of the pipeline.
TEST(Periodicity, AllChannelsFindALineBuriedInEveryChannel) {
  std::mt19937 rng(11);
  std::normal_distribution<double> n01(0, 1);
  std::uniform_real_distribution<double> u(0, 2 * kPi);
  const std::size_t n = 20 * 30, channels = 300;
  auto make = [&](double amplitude) {
    std::vector<std::vector<double>> x(channels, std::vector<double>(n));
    for (auto& ch : x) {
      const double phase = u(rng);
      for (std::size_t i = 0; i < n; ++i) ch[i] = amplitude * std::sin(2 * kPi * 1.2 * double(i) / 20 + phase) + n01(rng);
    }
    return x;
  };
  PeriodicityEstimator all({.sample_rate_hz = 20, .band_lo_hz = 0.8, .band_hi_hz = 2.0, .fft_size = 2048, .top_channels = 0});
  PeriodicityEstimator top8({.sample_rate_hz = 20, .band_lo_hz = 0.8, .band_hi_hz = 2.0, .fft_size = 2048, .top_channels = 8});
  const auto x = make(0.08);
  const auto a = run(all, x);
  std::printf("all channels: %.2f BPM, significance %.1f, confidence %.2f\n", a.rate_per_min, a.significance, a.confidence);
  EXPECT_NEAR(a.rate_per_min, 72, 1);
  EXPECT_GE(a.confidence, 0.6);
  EXPECT_EQ(a.channels_used, channels);
  const auto t = run(top8, x);
  std::printf("top 8: %.2f BPM, confidence %.2f\n", t.rate_per_min, t.confidence);
  EXPECT_LT(t.confidence, 0.6);
  const auto noise = run(all, make(0.0));
  std::printf("noise: %.2f BPM, significance %.1f, confidence %.2f\n", noise.rate_per_min, noise.significance, noise.confidence);
  EXPECT_LT(noise.confidence, 0.3);
}

TEST(Periodicity, RejectsBadParameters) {
  EXPECT_THROW(PeriodicityEstimator({.sample_rate_hz = 2, .band_lo_hz = 0.1, .band_hi_hz = 1.5}), std::invalid_argument);
  EXPECT_THROW(PeriodicityEstimator({.sample_rate_hz = 20, .band_lo_hz = 0.5, .band_hi_hz = 0.1}), std::invalid_argument);
}

}  // namespace
}  // namespace wdp::dsp
