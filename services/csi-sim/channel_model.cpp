#include "channel_model.h"

#include <algorithm>

namespace wdp::sim {

std::complex<double> path_response(const Path& p, double freq_hz) {
  const double lambda = kSpeedOfLight / freq_hz;
  const double amplitude = p.gain * lambda / (4.0 * kPi * p.length_m);
  return std::polar(amplitude, -2.0 * kPi * p.length_m / lambda);
}

void accumulate(std::span<const Path> paths, std::span<const double> freqs_hz, std::span<std::complex<double>> out) {
  for (const auto& p : paths) {
    if (p.gain == 0.0) continue;
    for (std::size_t i = 0; i < freqs_hz.size(); ++i) out[i] += path_response(p, freqs_hz[i]);
  }
}

void accumulate_grid(std::span<const Path> paths, double center_hz, double spacing_hz,
                     std::span<const std::int32_t> index, std::span<std::complex<double>> out) {
  if (index.empty()) return;
  const auto [lo_it, hi_it] = std::minmax_element(index.begin(), index.end());
  const std::int32_t lo = *lo_it, hi = *hi_it;
  thread_local std::vector<std::complex<double>> phasor;  // scratch, reused between calls
  phasor.resize(static_cast<std::size_t>(hi - lo + 1));
  for (const auto& p : paths) {
    if (p.gain == 0.0) continue;
    const double delay = p.length_m / kSpeedOfLight;
    std::complex<double> r = std::polar(1.0, -2.0 * kPi * (center_hz + lo * spacing_hz) * delay);
    const std::complex<double> step = std::polar(1.0, -2.0 * kPi * spacing_hz * delay);
    for (auto& v : phasor) {
      v = r;
      r *= step;
    }
    // λ/(4π d) = c / (4π d f): the amplitude still follows each bin's own frequency.
    const double a = p.gain * kSpeedOfLight / (4.0 * kPi * p.length_m);
    for (std::size_t i = 0; i < index.size(); ++i) {
      out[i] += phasor[static_cast<std::size_t>(index[i] - lo)] * (a / (center_hz + index[i] * spacing_hz));
    }
  }
}

}  // namespace wdp::sim
