#include "link_stream.h"

#include <algorithm>
#include <cmath>

#include "wdp/csi/frame_view.h"
#include "wdp/dsp/phase.h"

namespace wdp::mat {

bool LinkStream::push(const v1::CsiFrame& frame) {
  const csi::FrameView v(frame);
  h_.clear();
  index_.clear();
  for (std::size_t r = 0; r < v.n_rx(); ++r) {
    for (std::size_t t = 0; t < v.n_tx(); ++t) {
      for (std::size_t b = 0; b < v.n_bins(); ++b) {
        if (v.flags(b) & (v1::BIN_FLAG_NULL | v1::BIN_FLAG_INVALID)) continue;
        h_.push_back(v.scaled(r, t, b));
        // Each rx×tx pair gets its own index range so the phase fit sees one line per pair.
        index_.push_back(static_cast<double>(v.has_indices() ? v.index(b) : static_cast<int>(b)));
      }
    }
  }
  if (h_.empty()) return false;
  const std::int64_t t_ns = frame.sensor_time_ns() ? frame.sensor_time_ns() : frame.receive_time_ns();
  push_values(t_ns, h_, index_);
  return true;
}

void LinkStream::push_values(std::int64_t time_ns, const std::vector<std::complex<double>>& h,
                             const std::vector<double>& index) {
  if (h.size() != ref_.size()) {  // first packet or new layout: start over
    ref_ = h;
    ref_index_ = index;
    double p = 0;
    for (auto z : h) p += std::norm(z);
    ref_rms_ = std::sqrt(p / h.size());
    n_groups_ = (h.size() + p_.group_bins - 1) / p_.group_bins;
    out_.clear();
    acc_.assign(n_groups_, {});
    acc_n_ = 0;
    acc_slot_ = -1;
  }
  if (!(ref_rms_ > 0)) return;
  // CFO/STO: the phase of d_k = h_k·conj(ref_k) is a line in the subcarrier index. Its slope is
  // the angle of Σ d_{k+1}·conj(d_k) over buffer neighbours one index apart (no unwrapping, so
  // buffers in FFT order or with two training fields are fine); its offset the angle of
  // Σ d_k·e^(−j·slope·m_k).
  d_.resize(h.size());
  for (std::size_t k = 0; k < h.size(); ++k) d_[k] = h[k] * std::conj(ref_[k]);
  std::complex<double> step = 0;
  for (std::size_t k = 0; k + 1 < h.size(); ++k) {
    if (index[k + 1] - index[k] == 1.0) step += d_[k + 1] * std::conj(d_[k]);
  }
  const double slope = std::arg(step);
  std::complex<double> off = 0;
  for (std::size_t k = 0; k < h.size(); ++k) off += d_[k] * std::polar(1.0, -slope * index[k]);
  const dsp::LineFit line{slope, std::arg(off)};
  std::complex<double> num = 0;
  double den = 0;
  auto& aligned = aligned_;
  aligned.resize(h.size());
  for (std::size_t k = 0; k < h.size(); ++k) {
    aligned[k] = h[k] * std::polar(1.0, -(line.slope * index[k] + line.intercept));
    num += std::conj(ref_[k]) * aligned[k];
    den += std::norm(ref_[k]);
  }
  const std::complex<double> g = num / den;  // common gain left after the phase line
  if (std::abs(g) < 1e-12) return;
  const double period_ns = 1e9 / p_.rate_hz;
  const std::int64_t slot = static_cast<std::int64_t>(std::floor(time_ns / period_ns));
  if (acc_slot_ >= 0 && slot < acc_slot_) return;  // late packet: its slot is already out
  if (acc_slot_ >= 0 && slot > acc_slot_) emit_until(slot);
  if (acc_slot_ < 0) acc_slot_ = slot;
  const double dt_s = last_packet_ns_ ? std::clamp((time_ns - last_packet_ns_) / 1e9, 0.0, 1.0) : 0.0;
  const double alpha = 1.0 - std::exp(-dt_s / p_.ref_tau_s);
  for (std::size_t k = 0; k < h.size(); ++k) {
    const auto z = aligned[k] / g;
    acc_[k / p_.group_bins] += (z - ref_[k]) / ref_rms_;
    ref_[k] += alpha * (z - ref_[k]);
  }
  acc_n_++;
  last_packet_ns_ = time_ns;
}

void LinkStream::emit_until(std::int64_t slot) {
  const double period_ns = 1e9 / p_.rate_hz;
  LinkSample s;
  s.time_ns = static_cast<std::int64_t>(acc_slot_ * period_ns);
  s.groups.resize(n_groups_);
  const double norm = acc_n_ ? 1.0 / (acc_n_ * static_cast<double>(p_.group_bins)) : 0;
  for (std::size_t g = 0; g < n_groups_; ++g) s.groups[g] = std::complex<float>(acc_[g] * norm);
  s.gap = acc_n_ == 0;
  out_.push_back(s);
  // Missing slots (no packet at all) repeat the last sample, marked as gaps; long outages are
  // capped so a stalled sensor cannot fill memory.
  const std::int64_t missing = std::min<std::int64_t>(slot - acc_slot_ - 1, static_cast<std::int64_t>(p_.keep_s * p_.rate_hz));
  for (std::int64_t i = 1; i <= missing; ++i) {
    LinkSample f = out_.back();
    f.time_ns = static_cast<std::int64_t>((acc_slot_ + i) * period_ns);
    f.gap = true;
    out_.push_back(std::move(f));
  }
  acc_.assign(n_groups_, {});
  acc_n_ = 0;
  acc_slot_ = slot;
  while (!out_.empty() && out_.size() > static_cast<std::size_t>(p_.keep_s * p_.rate_hz)) out_.pop_front();
}

}  // namespace wdp::mat
