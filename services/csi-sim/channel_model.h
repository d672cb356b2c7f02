#pragma once
// Multipath channel: H(f) = Σ_k g_k · λ/(4π d_k) · e^(−j2π f d_k / c) over propagation paths k.
//
// A path is its total length d (TX → [reflection or scatterer] → RX) and a frequency-independent
// gain g (reflectivity × 10^(−loss_dB/20)). The λ/(4π d) free-space factor is evaluated per
// subcarrier, so every bin sees the exact phase −2π f d / c of every path.
//   - line of sight: d = |TX − RX|, g = 1 (minus any debris loss);
//   - wall / floor / ceiling (image method): d = |mirror(TX) − RX|, g = wall reflectivity;
//   - point scatterer (body part, furniture): bistatic d = |TX − P| + |P − RX|, g = reflectivity.
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "geometry.h"

namespace wdp::sim {

struct Path {
  double length_m = 0;
  double gain = 0;  // linear amplitude, excluding free-space spreading
};

struct Scatterer {
  Vec3 position;
  double reflectivity = 0;  // linear amplitude factor
};

struct Wall {
  Plane plane;
  double reflectivity = 0.3;
};

inline double bistatic_length(Vec3 tx, Vec3 p, Vec3 rx) { return distance(tx, p) + distance(p, rx); }

inline Path los_path(Vec3 tx, Vec3 rx) { return {distance(tx, rx), 1.0}; }
inline Path scatter_path(Vec3 tx, const Scatterer& s, Vec3 rx) {
  return {bistatic_length(tx, s.position, rx), s.reflectivity};
}
// Specular reflection by the image method: the path length equals the distance from the mirrored
// transmitter to the receiver.
inline Path wall_path(Vec3 tx, const Wall& w, Vec3 rx) { return {distance(mirror(tx, w.plane), rx), w.reflectivity}; }

// Response of one path at one frequency.
std::complex<double> path_response(const Path& p, double freq_hz);

// out[i] += Σ paths at freqs_hz[i]. out.size() must equal freqs_hz.size().
void accumulate(std::span<const Path> paths, std::span<const double> freqs_hz, std::span<std::complex<double>> out);
// The same on an OFDM grid, f_i = center_hz + index[i]·spacing_hz, without a sin/cos per bin:
// each path's phasor is stepped across the index range by one fixed rotation (relative error
// ~1e-14 over 256 bins), which is what keeps MIMO scenes faster than real time.
void accumulate_grid(std::span<const Path> paths, double center_hz, double spacing_hz,
                     std::span<const std::int32_t> index, std::span<std::complex<double>> out);

}  // namespace wdp::sim
