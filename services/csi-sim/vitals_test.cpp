// Breathing and heartbeat seen through the whole channel: a still person breathing at R BPM puts
// the spectral peak of the sensitive subcarriers' amplitude at R/60 Hz.
#include "vitals.h"

#include <fftw3.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "simulator.h"

namespace wdp::sim {
namespace {

constexpr double kFs = 20.0;     // packets per second
constexpr double kSeconds = 60;  // resolution 1/60 Hz

// One node, one person sitting still in the room, an ideal receiver (no noise, offsets, AGC).
Simulator still_person(VitalsParams v, std::uint64_t seed = 7) {
  Scene s = make_scene("empty", seed);
  s.nodes.resize(1);
  PersonSpec p;
  p.motion.start = {3.0, 2.2, 0};
  p.motion.start_heading_rad = 0.4;
  MotionStep sit;
  sit.activity = Activity::sitting;
  sit.transition_s = 0;
  p.motion.steps = {sit};
  p.vitals = v;
  s.people.push_back(p);
  SimOptions o;
  o.rate_hz = kFs;
  o.seed = seed;
  o.hardware = {.snr_db = 300, .phase_offsets = false, .agc = false, .quantize = false, .jitter_ms = 0};
  return Simulator(std::move(s), o);
}

struct Spectrum {
  std::vector<double> power;  // per bin, summed over the sensitive subcarriers
  double bin_hz = 0;
  double peak_hz(double lo, double hi) const {
    std::size_t best = 0;
    for (std::size_t k = 1; k < power.size(); ++k) {
      const double f = k * bin_hz;
      if (f >= lo && f <= hi && (best == 0 || power[k] > power[best])) best = k;
    }
    return best * bin_hz;
  }
  double peak_power(double lo, double hi) const {
    double m = 0;
    for (std::size_t k = 1; k < power.size(); ++k) {
      if (k * bin_hz >= lo && k * bin_hz <= hi) m = std::max(m, power[k]);
    }
    return m;
  }
};

// |H| per bin over time → the top-variance ("sensitive") bins → summed power spectra.
Spectrum amplitude_spectrum(Simulator& sim, int n_sensitive = 5) {
  const std::size_t n = static_cast<std::size_t>(kFs * kSeconds);
  const std::size_t bins = sim.profile().n_bins();
  std::vector<std::vector<double>> series(bins, std::vector<double>(n));
  for (std::size_t t = 0; t < n; ++t) {
    const auto& f = sim.step().front();
    for (std::size_t b = 0; b < bins; ++b) series[b][t] = std::abs(f.packet.value[b]);
  }
  std::vector<std::pair<double, std::size_t>> var;
  for (std::size_t b = 0; b < bins; ++b) {
    auto& x = series[b];
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double v = 0;
    for (auto& s : x) {
      s -= mean;
      v += s * s;
    }
    var.emplace_back(v, b);
  }
  std::sort(var.rbegin(), var.rend());
  Spectrum sp;
  sp.bin_hz = kFs / n;
  sp.power.assign(n / 2 + 1, 0.0);
  std::vector<double> in(n);
  std::vector<fftw_complex> out(n / 2 + 1);
  fftw_plan plan = fftw_plan_dft_r2c_1d(static_cast<int>(n), in.data(), out.data(), FFTW_ESTIMATE);
  for (int i = 0; i < n_sensitive; ++i) {
    in = series[var[i].second];
    fftw_execute(plan);
    for (std::size_t k = 0; k < out.size(); ++k) sp.power[k] += out[k][0] * out[k][0] + out[k][1] * out[k][1];
  }
  fftw_destroy_plan(plan);
  return sp;
}

TEST(Vitals, BreathingAtRBpmPeaksAtROver60HzOnSensitiveSubcarriers) {
  for (double bpm : {8.0, 12.0, 15.0, 22.0, 30.0}) {
    auto sim = still_person({.breathing_bpm = bpm, .breathing_depth_mm = 5.0, .irregularity = 0, .heart_bpm = 0});
    const auto sp = amplitude_spectrum(sim);
    const double peak = sp.peak_hz(0.05, 3.0);
    std::printf("breathing %.0f BPM: truth %.4f Hz, peak %.4f Hz (bin %.4f Hz)\n", bpm, bpm / 60, peak, sp.bin_hz);
    EXPECT_LE(std::abs(peak - bpm / 60), sp.bin_hz + 1e-12) << bpm << " BPM";
  }
}

TEST(Vitals, HeartbeatPeaksAtItsRateWithSmallAmplitude) {
  auto heart = still_person({.breathing_bpm = 0, .irregularity = 0, .heart_bpm = 72, .heart_depth_mm = 0.3});
  const auto sh = amplitude_spectrum(heart);
  const double peak = sh.peak_hz(0.8, 2.0);
  std::printf("heart 72 BPM: truth 1.2000 Hz, peak %.4f Hz\n", peak);
  EXPECT_LE(std::abs(peak - 1.2), sh.bin_hz + 1e-12);
  // Same person breathing 5 mm: the heart's line is ~0.3/5 of the breathing line in amplitude.
  auto breath = still_person({.breathing_bpm = 15, .breathing_depth_mm = 5.0, .irregularity = 0, .heart_bpm = 0});
  const auto sb = amplitude_spectrum(breath);
  const double ratio = std::sqrt(sh.peak_power(0.8, 2.0) / sb.peak_power(0.05, 0.6));
  std::printf("heart/breathing spectral amplitude ratio %.4f (displacement ratio %.4f)\n", ratio, 0.3 / 5.0);
  EXPECT_GT(ratio, 0.03);
  EXPECT_LT(ratio, 0.12);
}

TEST(Vitals, BreathingAndHeartTogetherKeepBothLines) {
  auto sim = still_person({.breathing_bpm = 15, .breathing_depth_mm = 5, .irregularity = 0, .heart_bpm = 69, .heart_depth_mm = 0.4});
  const auto sp = amplitude_spectrum(sim);
  EXPECT_LE(std::abs(sp.peak_hz(0.1, 0.5) - 0.25), sp.bin_hz + 1e-12);
  EXPECT_LE(std::abs(sp.peak_hz(1.1, 1.2) - 1.15), sp.bin_hz + 1e-12);
}

TEST(Vitals, DisplacementStaysWithinDepthAndIrregularityIsSeeded) {
  const VitalsParams v{.breathing_bpm = 15, .breathing_depth_mm = 6, .irregularity = 0.1, .heart_bpm = 70, .heart_depth_mm = 0.3};
  const VitalsModel a(v, 1), b(v, 1), c(v, 2);
  double lo = 1, hi = -1;
  bool differs = false;
  for (double t = 0; t < 120; t += 0.05) {
    lo = std::min(lo, a.breathing_m(t));
    hi = std::max(hi, a.breathing_m(t));
    EXPECT_EQ(a.displacement_m(t), b.displacement_m(t));
    differs |= a.displacement_m(t) != c.displacement_m(t);
    EXPECT_LE(a.heart_m(t), 0.3e-3 + 1e-15);
  }
  EXPECT_NEAR(hi - lo, 6e-3, 1e-5);
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace wdp::sim
