#pragma once
// Reads the raw samples of a wdp.v1.CsiFrame whatever their encoding. Samples are laid out
// [rx][tx][bin] with (re, im) interleaved; sample_type says how each value is stored.
//
//   wdp::csi::FrameView v(frame);            // throws std::invalid_argument if inconsistent
//   auto [re, im] = v.raw(rx, tx, bin);      // as the device reported them
//   std::complex<double> h = v.scaled(rx, tx, bin);  // raw * frame.scale()
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "wdp/v1/csi_frame.pb.h"

namespace wdp::csi {

// Bytes per real value for a sample type; 0 for UNSPECIFIED.
std::size_t bytes_per_value(v1::SampleType t);

class FrameView {
 public:
  explicit FrameView(const v1::CsiFrame& frame);

  std::size_t n_rx() const { return n_rx_; }
  std::size_t n_tx() const { return n_tx_; }
  std::size_t n_bins() const { return n_bins_; }

  std::pair<double, double> raw(std::size_t rx, std::size_t tx, std::size_t bin) const {
    const std::size_t i = 2 * ((rx * n_tx_ + tx) * n_bins_ + bin);
    return {value(i), value(i + 1)};
  }
  std::complex<double> scaled(std::size_t rx, std::size_t tx, std::size_t bin) const {
    const auto [re, im] = raw(rx, tx, bin);
    return {re * scale_, im * scale_};
  }
  // True OFDM index of a bin; only valid when the frame carries indices (has_indices()).
  bool has_indices() const { return frame_.subcarrier_index_size() == static_cast<int>(n_bins_); }
  int index(std::size_t bin) const { return frame_.subcarrier_index(static_cast<int>(bin)); }
  std::uint8_t flags(std::size_t bin) const {
    return bin < frame_.bin_flags().size() ? static_cast<std::uint8_t>(frame_.bin_flags()[bin]) : 0;
  }

 private:
  double value(std::size_t i) const;

  const v1::CsiFrame& frame_;
  std::size_t n_rx_, n_tx_, n_bins_;
  std::size_t width_;
  double scale_;
  const char* data_;
};

}  // namespace wdp::csi
