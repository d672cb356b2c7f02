#pragma once
// Spectral analysis helpers (signal-reference.md §6, §10):
//   hann_window(W): symmetric Hann w[i] = 0.5·(1 − cos(2πi/(W−1)))
//   Stft: power spectrogram |X_k|² per frame, window W, hop H, no padding:
//         n_frames = ⌊(len − W)/H⌋ + 1, n_freq = W/2 + 1, layout [frame][freq]
//   parabolic_peak: sub-bin peak location from three neighbouring bins,
//         p = ½(α − γ)/(α − 2β + γ) with α, β, γ the values at k−1, k, k+1
#include <cstddef>
#include <span>
#include <vector>

#include "wdp/dsp/fft.h"

namespace wdp::dsp {

enum class Window { rectangular, hann, hamming, blackman };
std::vector<double> make_window(Window w, std::size_t n);

class Stft {
 public:
  Stft(std::size_t window, std::size_t hop, Window w = Window::hann);
  std::size_t frames_for(std::size_t length) const;  // throws when length < window
  std::size_t bins() const { return window_ / 2 + 1; }
  // Writes frames_for(x.size()) × bins() power values into `out` (row-major [frame][bin]).
  void power(std::span<const double> x, std::vector<double>& out);

 private:
  std::size_t window_, hop_;
  std::vector<double> taper_;
  RealFft fft_;
};

struct Peak {
  double bin = 0;    // fractional bin index of the interpolated maximum
  double value = 0;  // interpolated height
};

// Interpolated maximum of `spectrum` within bins [lo, hi] (inclusive, clamped). Bins at the
// edge of the whole spectrum are not interpolated.
Peak parabolic_peak(std::span<const double> spectrum, std::size_t lo, std::size_t hi);

}  // namespace wdp::dsp
