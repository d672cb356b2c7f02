#pragma once
// CsiFrames of the frame shapes (dsp-bench and the golden-output test share them): 1×64 and
// 4×64 ESP32 buffers (int8, 0..31, −32..−1 order), 3×56 HT20 and 3×114 HT40 (int16, ascending),
// with a realistic channel, receiver noise and per-frame CFO/STO.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "wdp/v1/csi_frame.pb.h"

namespace wdp::signal::testing {

struct Shape {
  std::uint32_t rx;
  int lo, hi;      // index range of the buffer
  bool esp_order;  // 0..31, −32..−1 buffer order (ESP32) instead of ascending
  v1::SampleType type;
  const char* name;
};

inline constexpr Shape kShapes[] = {
    {1, -32, 31, true, v1::SAMPLE_TYPE_INT8, "1x64"},
    {4, -32, 31, true, v1::SAMPLE_TYPE_INT8, "4x64"},
    {3, -28, 28, false, v1::SAMPLE_TYPE_INT16_LE, "3x56"},    // +DC
    {3, -58, 58, false, v1::SAMPLE_TYPE_INT16_LE, "3x114"},   // +DC, ±1
};

inline v1::CsiFrame make_shape_frame(const Shape& s, double t, std::mt19937& rng) {
  std::normal_distribution<double> n01(0, 1);
  std::uniform_real_distribution<double> u(-3.14, 3.14);
  v1::CsiFrame f;
  f.set_node_id("bench");
  f.set_n_rx(s.rx);
  f.set_n_tx(1);
  f.set_sample_type(s.type);
  f.set_sensor_time_ns(static_cast<std::int64_t>(t * 1e9));
  std::vector<int> idx;
  if (s.esp_order) {
    for (int j = 0; j < 64; ++j) idx.push_back(j < 32 ? j : j - 64);
  } else {
    for (int m = s.lo; m <= s.hi; ++m) idx.push_back(m);
  }
  std::string flags;
  const int edge = std::max(-s.lo, s.hi) - (s.hi > 32 ? 6 : 4);
  for (int m : idx) {
    f.add_subcarrier_index(m);
    flags.push_back(m == 0 || std::abs(m) > edge ? char(v1::BIN_FLAG_NULL) : char(0));
  }
  const double cfo = u(rng), sto = 0.05 * n01(rng);
  std::string samples;
  for (std::uint32_t r = 0; r < s.rx; ++r) {
    for (std::size_t b = 0; b < idx.size(); ++b) {
      const int m = idx[b];
      const double scale = s.type == v1::SAMPLE_TYPE_INT8 ? 30 : 300;
      const auto h = std::polar(scale * (1 + 0.3 * std::sin(0.2 * m + t)), 0.4 * m + cfo + sto * m + 0.5 * r) +
                     std::complex<double>(n01(rng), n01(rng)) * (scale * 0.02);
      if (s.type == v1::SAMPLE_TYPE_INT8) {
        samples.push_back(static_cast<char>(std::clamp<long>(std::lround(h.real()), -128, 127)));
        samples.push_back(static_cast<char>(std::clamp<long>(std::lround(h.imag()), -128, 127)));
      } else {
        const auto re = static_cast<std::int16_t>(std::lround(h.real())), im = static_cast<std::int16_t>(std::lround(h.imag()));
        samples.append(reinterpret_cast<const char*>(&re), 2);
        samples.append(reinterpret_cast<const char*>(&im), 2);
      }
    }
  }
  f.set_n_bins(static_cast<std::uint32_t>(idx.size()));
  f.set_bin_flags(flags);
  f.set_samples(samples);
  return f;
}

// n frames 20 ms apart, seeded: the same frames every run.
inline std::vector<v1::CsiFrame> shape_frames(const Shape& s, std::size_t n) {
  std::mt19937 rng(1);
  std::vector<v1::CsiFrame> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(make_shape_frame(s, 0.02 * double(i), rng));
  return v;
}

}  // namespace wdp::signal::testing
