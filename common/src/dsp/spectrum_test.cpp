#include "wdp/dsp/spectrum.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "wdp/dsp/phase.h"

namespace wdp::dsp {
namespace {

TEST(RealFft, MatchesADirectDft) {
  const std::size_t n = 48;  // not a power of two on purpose
  RealFft fft(n);
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = std::sin(0.3 * i) + 0.1 * i - (i % 5 == 0);
  std::copy(x.begin(), x.end(), fft.input().begin());
  fft.execute();
  for (std::size_t k = 0; k <= n / 2; ++k) {
    std::complex<double> direct = 0;
    for (std::size_t i = 0; i < n; ++i) direct += x[i] * std::polar(1.0, -2 * kPi * double(k * i) / double(n));
    EXPECT_NEAR(std::abs(fft.output()[k] - direct), 0.0, 1e-9) << k;
  }
}

TEST(RealFft, EightOnes) {  // reference golden: bin0 = 8, others < 1e-10
  RealFft fft(8);
  for (auto& v : fft.input()) v = 1;
  fft.execute();
  EXPECT_NEAR(fft.output()[0].real(), 8, 1e-12);
  for (std::size_t k = 1; k < 5; ++k) EXPECT_LT(std::abs(fft.output()[k]), 1e-10);
}

TEST(Stft, ShapeAndAgreementWithDirectDft) {
  Stft stft(128, 32);
  std::vector<double> x(1000), out;
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::cos(0.2 * i) + 0.5 * std::sin(0.05 * i);
  stft.power(x, out);
  ASSERT_EQ(stft.frames_for(1000), 28u);  // reference golden: 65 × 28
  ASSERT_EQ(stft.bins(), 65u);
  ASSERT_EQ(out.size(), 28u * 65u);
  const auto w = make_window(Window::hann, 128);
  const std::size_t f = 3;
  for (std::size_t k : {0u, 4u, 20u, 64u}) {
    std::complex<double> direct = 0;
    for (std::size_t i = 0; i < 128; ++i) {
      direct += x[f * 32 + i] * w[i] * std::polar(1.0, -2 * kPi * double(k * i) / 128.0);
    }
    EXPECT_NEAR(out[f * 65 + k], std::norm(direct), 1e-7 * std::max(1.0, std::norm(direct)));
  }
  EXPECT_THROW(stft.frames_for(100), std::invalid_argument);
}

TEST(Stft, TenHertzToneAtHundredHertz) {  // reference golden: peak within 2 bins of 10 Hz
  Stft stft(256, 128);
  std::vector<double> x(1024), out;
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(2 * kPi * 10 * double(i) / 100);
  stft.power(x, out);
  const auto frame0 = std::span<const double>(out).first(stft.bins());
  const auto p = parabolic_peak(frame0, 1, stft.bins() - 1);
  EXPECT_NEAR(p.bin * 100.0 / 256.0, 10.0, 2 * 100.0 / 256.0);
}

TEST(ParabolicPeak, RecoversAnOffGridTone) {
  // A Hann-windowed tone at bin 20.3: the parabola on the log-free power is within 0.1 bin.
  const std::size_t n = 256;
  RealFft fft(n);
  const auto w = make_window(Window::hann, n);
  for (std::size_t i = 0; i < n; ++i) fft.input()[i] = w[i] * std::cos(2 * kPi * 20.3 * double(i) / n);
  fft.execute();
  std::vector<double> mag(n / 2 + 1);
  for (std::size_t k = 0; k < mag.size(); ++k) mag[k] = std::abs(fft.output()[k]);
  EXPECT_NEAR(parabolic_peak(mag, 5, 100).bin, 20.3, 0.1);
  // Exact for a true parabola.
  std::vector<double> par(11);
  for (int k = 0; k < 11; ++k) par[k] = 5 - (k - 6.25) * (k - 6.25);
  const auto p = parabolic_peak(par, 0, 10);
  EXPECT_NEAR(p.bin, 6.25, 1e-12);
  EXPECT_NEAR(p.value, 5, 1e-12);
}

TEST(Window, Shapes) {
  const auto h = make_window(Window::hann, 5);
  EXPECT_NEAR(h[0], 0, 1e-15);
  EXPECT_NEAR(h[2], 1, 1e-15);
  const auto hm = make_window(Window::hamming, 5);
  EXPECT_NEAR(hm[0], 0.08, 1e-15);
  const auto b = make_window(Window::blackman, 5);
  EXPECT_NEAR(b[2], 1, 1e-12);
}

}  // namespace
}  // namespace wdp::dsp
