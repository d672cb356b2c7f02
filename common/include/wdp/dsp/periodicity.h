#pragma once
// Finds the dominant periodicity in a frequency band across many channels (subcarriers):
// the estimator behind breathing (6–30 BPM) and heart rate (48–120 BPM).
//
// For each channel: remove mean and linear trend, Hann window, zero-pad to `fft_size`, power
// spectrum. A channel's periodicity score is its in-band peak over its in-band median power
// (prominence). The `top_channels` most periodic channels are combined (each normalised by its
// in-band power), the combined peak is located with parabolic interpolation, and a harmonic check
// prefers f/2 or f/3 when that sub-harmonic holds at least `harmonic_ratio` of the peak power
// (a breathing waveform's 2nd harmonic often beats its fundamental). Frequencies listed in
// `exclude_hz` (e.g. breathing harmonics when looking for the heart) are masked over the Hann main lobe (±2 resolution bins).
//
// confidence = 1 − exp(−(prominence − 1)/4), 0 when prominence ≤ 1; monotone in prominence.
//
// `top_channels` = 0 combines every channel instead (for a weak line spread over hundreds of
// channels, such as a heartbeat seen per receive stream: picking the "most periodic" few then picks
// the channels with the largest noise peaks). The combined noise floor then is nearly flat, so the
// peak is judged by its significance z = (peak − median) / (1.4826 · MAD) over the unmasked band,
// the harmonic check compares heights above the median, and
// confidence = 1 − exp(−(z − 3)/3), 0 when z ≤ 3 (the largest of ~40 independent noise bins is
// rarely above 3.5σ).
#include <cstddef>
#include <span>
#include <vector>

#include "wdp/dsp/fft.h"

namespace wdp::dsp {

struct PeriodicityParams {
  double sample_rate_hz = 20;
  double band_lo_hz = 0.1;
  double band_hi_hz = 0.5;
  std::size_t fft_size = 4096;      // zero-padded length (>= window); interpolation, not resolution
  std::size_t top_channels = 8;    // 0: all channels, confidence from significance (see above)
  double harmonic_ratio = 0.5;
  double exclude_halfwidth_bins = 2.0;  // mask ±this many resolution bins (fs / window) per excluded frequency
};

struct PeriodicityEstimate {
  double frequency_hz = 0;
  double rate_per_min = 0;
  double prominence = 0;   // combined in-band peak / in-band median power
  double significance = 0; // (peak − median) / robust spread of the combined band
  double confidence = 0;   // 0..1
  std::size_t channels_used = 0;
};

class PeriodicityEstimator {
 public:
  explicit PeriodicityEstimator(PeriodicityParams p);

  // channels[c] holds one window of samples (all the same length, <= fft_size, >= 8).
  // `exclude_hz` frequencies are masked. Returns confidence 0 when nothing periodic is found.
  PeriodicityEstimate estimate(std::span<const std::span<const double>> channels,
                               std::span<const double> exclude_hz = {});

  const PeriodicityParams& params() const { return p_; }

 private:
  void channel_spectrum(std::span<const double> x, std::vector<double>& power);

  PeriodicityParams p_;
  RealFft fft_;
  std::size_t lo_bin_, hi_bin_;
  std::vector<double> window_cache_;
  std::vector<double> power_, combined_, scores_;
  std::vector<std::vector<double>> spectra_;
};

}  // namespace wdp::dsp
