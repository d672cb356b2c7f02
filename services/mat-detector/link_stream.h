#pragma once
// One TX→RX link's CSI as a fixed-rate series of small complex residuals, ready for vital-sign
// analysis over long windows.
//
// Per packet (all rx×tx pairs, non-null bins): the per-packet common phase and linear phase slope
// (CFO/STO) are removed against a slowly updated reference vector, and so is the common gain
// (AGC steps and jitter); what is left minus the reference, divided by the reference's RMS
// amplitude, is the dynamic part of the channel relative to the static one. Adjacent bins are
// averaged in groups (they see the same movement), and packets are averaged into output samples
// of 1/rate_hz seconds by their sensor time. Output slots with no packet are filled with the last
// sample and counted as gaps.
#include <complex>
#include <cstdint>
#include <deque>
#include <vector>

#include "wdp/v1/csi_frame.pb.h"

namespace wdp::mat {

struct LinkStreamParams {
  double rate_hz = 10;          // output rate
  std::size_t group_bins = 8;   // bins averaged per output channel
  double keep_s = 90;           // history kept
  double ref_tau_s = 20;        // time constant of the static reference
};

struct LinkSample {
  std::int64_t time_ns = 0;
  bool gap = false;
  std::vector<std::complex<float>> groups;
};

class LinkStream {
 public:
  explicit LinkStream(LinkStreamParams p = {}) : p_(p) {}
  // Returns false (and ignores the frame) when its layout changed or it is unusable.
  bool push(const v1::CsiFrame& frame);
  void push_values(std::int64_t time_ns, const std::vector<std::complex<double>>& h, const std::vector<double>& index);

  const std::deque<LinkSample>& samples() const { return out_; }
  std::size_t groups() const { return n_groups_; }
  std::int64_t last_time_ns() const { return out_.empty() ? 0 : out_.back().time_ns; }
  const LinkStreamParams& params() const { return p_; }
  // The static reference channel (absolute units) and the bins' subcarrier indices.
  const std::vector<std::complex<double>>& reference() const { return ref_; }
  const std::vector<double>& indices() const { return ref_index_; }

 private:
  void emit_until(std::int64_t slot);

  LinkStreamParams p_;
  std::vector<std::complex<double>> ref_;
  double ref_rms_ = 0;
  std::size_t n_groups_ = 0;
  std::vector<std::complex<double>> acc_;
  int acc_n_ = 0;
  std::int64_t acc_slot_ = -1;   // output slot being accumulated (time / period)
  std::int64_t last_packet_ns_ = 0;
  std::vector<double> index_, ref_index_;
  std::vector<std::complex<double>> h_, aligned_, d_;
  std::deque<LinkSample> out_;
};

}  // namespace wdp::mat
