#include "wdp/dsp/spectrum.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "wdp/dsp/phase.h"

namespace wdp::dsp {

std::vector<double> make_window(Window w, std::size_t n) {
  std::vector<double> out(n, 1.0);
  if (n < 2) return out;
  const double d = static_cast<double>(n - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = 2 * kPi * static_cast<double>(i) / d;
    switch (w) {
      case Window::rectangular: break;
      case Window::hann: out[i] = 0.5 * (1 - std::cos(x)); break;
      case Window::hamming: out[i] = 0.54 - 0.46 * std::cos(x); break;
      case Window::blackman: out[i] = 0.42 - 0.5 * std::cos(x) + 0.08 * std::cos(2 * x); break;
    }
  }
  return out;
}

Stft::Stft(std::size_t window, std::size_t hop, Window w)
    : window_(window), hop_(hop), taper_(make_window(w, window)), fft_(window) {
  if (hop == 0) throw std::invalid_argument("Stft: hop must be >= 1");
}

std::size_t Stft::frames_for(std::size_t length) const {
  if (length < window_) {
    throw std::invalid_argument("Stft: signal of " + std::to_string(length) + " samples is shorter than the window " +
                                std::to_string(window_));
  }
  return (length - window_) / hop_ + 1;
}

void Stft::power(std::span<const double> x, std::vector<double>& out) {
  const std::size_t frames = frames_for(x.size());
  out.resize(frames * bins());
  for (std::size_t f = 0; f < frames; ++f) {
    auto in = fft_.input();
    for (std::size_t i = 0; i < window_; ++i) in[i] = x[f * hop_ + i] * taper_[i];
    fft_.execute();
    const auto X = fft_.output();
    for (std::size_t k = 0; k < bins(); ++k) out[f * bins() + k] = std::norm(X[k]);
  }
}

Peak parabolic_peak(std::span<const double> s, std::size_t lo, std::size_t hi) {
  if (s.empty()) throw std::invalid_argument("parabolic_peak: empty spectrum");
  hi = std::min(hi, s.size() - 1);
  if (lo > hi) throw std::invalid_argument("parabolic_peak: empty band");
  std::size_t k = lo;
  for (std::size_t i = lo; i <= hi; ++i) {
    if (s[i] > s[k]) k = i;
  }
  if (k == 0 || k + 1 >= s.size()) return {static_cast<double>(k), s[k]};
  const double a = s[k - 1], b = s[k], g = s[k + 1];
  const double denom = a - 2 * b + g;
  if (std::abs(denom) < 1e-300) return {static_cast<double>(k), b};
  // Only a true local maximum is interpolated; at a band edge the neighbour may be higher.
  if (a > b || g > b) return {static_cast<double>(k), b};
  const double p = std::clamp(0.5 * (a - g) / denom, -0.5, 0.5);
  return {static_cast<double>(k) + p, b - 0.25 * (a - g) * p};
}

}  // namespace wdp::dsp
