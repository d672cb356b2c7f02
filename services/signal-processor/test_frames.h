#pragma once
// Synthetic CsiFrames for signal-processor tests: one stream over the HT20 grid −28…28 (DC null),
// float32 samples, a channel of given amplitude and phase per subcarrier.
#include <cmath>
#include <complex>
#include <cstring>
#include <functional>
#include <string>

#include "wdp/v1/csi_frame.pb.h"

namespace wdp::signal::testing {

inline v1::CsiFrame make_frame(const std::function<std::complex<double>(int index)>& h, double t_s,
                               int lo = -28, int hi = 28, std::uint32_t rx = 1) {
  v1::CsiFrame f;
  f.set_node_id("test");
  f.set_n_rx(rx);
  f.set_n_tx(1);
  f.set_sample_type(v1::SAMPLE_TYPE_FLOAT32_LE);
  f.set_sensor_time_ns(static_cast<std::int64_t>(t_s * 1e9));
  std::string flags, samples;
  for (int m = lo; m <= hi; ++m) {
    f.add_subcarrier_index(m);
    flags.push_back(m == 0 ? char(v1::BIN_FLAG_NULL) : char(0));
  }
  for (std::uint32_t r = 0; r < rx; ++r) {
    for (int m = lo; m <= hi; ++m) {
      const auto v = m == 0 ? std::complex<double>(0, 0) : h(m) * std::polar(1.0, 0.7 * r);
      const float re = float(v.real()), im = float(v.imag());
      samples.append(reinterpret_cast<const char*>(&re), 4);
      samples.append(reinterpret_cast<const char*>(&im), 4);
    }
  }
  f.set_n_bins(static_cast<std::uint32_t>(hi - lo + 1));
  f.set_bin_flags(flags);
  f.set_samples(samples);
  f.set_scale(1.0);
  return f;
}

}  // namespace wdp::signal::testing
