#include "csi_preprocessor.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>

#include <Eigen/Core>
#include <numeric>

#include "wdp/csi/frame_view.h"
#include "stream_channels.h"
#include "wdp/dsp/phase.h"

namespace wdp::signal {
namespace {

constexpr std::uint8_t kUnusable = v1::BIN_FLAG_NULL | v1::BIN_FLAG_INVALID;
constexpr std::uint8_t kFieldMask = v1::BIN_FLAG_FIELD_HTLTF | v1::BIN_FLAG_FIELD_STBC_HTLTF;

}  // namespace

const CsiPreprocessor::Layout* CsiPreprocessor::layout_for(const v1::CsiFrame& f, std::string& why) {
  if (f.subcarrier_index_size() != static_cast<int>(f.n_bins())) {
    why = "unknown_layout";
    return nullptr;
  }
  const std::string_view indices(reinterpret_cast<const char*>(f.subcarrier_index().data()),
                                 sizeof(std::int32_t) * static_cast<std::size_t>(f.subcarrier_index_size()));
  // Fast path: the same layout as the previous frame (compares bytes, allocates nothing).
  if (last_layout_ && last_key_.size() == indices.size() + f.bin_flags().size() &&
      std::string_view(last_key_).substr(0, indices.size()) == indices &&
      std::string_view(last_key_).substr(indices.size()) == f.bin_flags()) {
    return last_layout_;
  }
  std::string key(indices);
  key += f.bin_flags();
  auto it = layouts_.find(key);
  if (it != layouts_.end() && it->second.mapper) {
    last_key_ = key;
    last_layout_ = &it->second;
  }
  if (it != layouts_.end()) return it->second.mapper ? &it->second : (why = "too_few_bins", nullptr);

  auto flag = [&](std::size_t b) {
    return b < f.bin_flags().size() ? static_cast<std::uint8_t>(f.bin_flags()[b]) : std::uint8_t{0};
  };
  // The training field with the most usable bins.
  std::map<std::uint8_t, std::size_t> usable_per_field;
  for (std::size_t b = 0; b < f.n_bins(); ++b) {
    if (!(flag(b) & kUnusable)) ++usable_per_field[flag(b) & kFieldMask];
  }
  Layout layout;
  if (!usable_per_field.empty()) {
    const auto best = std::max_element(usable_per_field.begin(), usable_per_field.end(),
                                       [](auto& a, auto& b) { return a.second < b.second; })->first;
    for (std::size_t b = 0; b < f.n_bins(); ++b) {
      if (!(flag(b) & kUnusable) && (flag(b) & kFieldMask) == best) layout.bins.push_back(static_cast<std::uint32_t>(b));
    }
    std::stable_sort(layout.bins.begin(), layout.bins.end(),
                     [&](auto a, auto b) { return f.subcarrier_index(int(a)) < f.subcarrier_index(int(b)); });
    layout.bins.erase(std::unique(layout.bins.begin(), layout.bins.end(),
                                  [&](auto a, auto b) { return f.subcarrier_index(int(a)) == f.subcarrier_index(int(b)); }),
                      layout.bins.end());
  }
  for (auto b : layout.bins) layout.index.push_back(f.subcarrier_index(int(b)));
  if (layout.bins.size() >= 8) {
    std::vector<int> idx(layout.index.begin(), layout.index.end());
    std::unique_ptr<bool[]> valid(new bool[idx.size()]);
    std::fill(valid.get(), valid.get() + idx.size(), true);
    layout.mapper = std::make_unique<dsp::SubcarrierMapper>(idx, std::span<const bool>(valid.get(), idx.size()));
  }
  if (layouts_.size() >= 256) {  // bounded: a stream of ever-new layouts cannot grow it forever
    layouts_.clear();
    last_layout_ = nullptr;
  }
  last_key_ = key;
  auto& stored = layouts_.emplace(std::move(key), std::move(layout)).first->second;
  if (!stored.mapper) {
    why = "too_few_bins";
    last_layout_ = nullptr;
    return nullptr;
  }
  last_layout_ = &stored;
  return &stored;
}

namespace {

// Copies the selected bins of every stream into split re/im arrays (stream-major), scaled.
// One loop per sample type, so nothing is decided per value.
template <typename T>
void decode(const char* data, std::size_t n_bins, std::size_t streams, std::span<const std::uint32_t> bins, double scale,
            double* re, double* im) {
  const std::size_t n = bins.size();
  for (std::size_t s = 0; s < streams; ++s) {
    const char* base = data + 2 * s * n_bins * sizeof(T);
    for (std::size_t i = 0; i < n; ++i) {
      T v[2];
      std::memcpy(v, base + 2 * bins[i] * sizeof(T), sizeof v);
      re[s * n + i] = double(v[0]) * scale;
      im[s * n + i] = double(v[1]) * scale;
    }
  }
}

// √p for every power of an int8 pair (p ≤ 2·128²).
const double* int8_sqrt_table() {
  static const std::vector<double> table = [] {
    std::vector<double> t(2 * 128 * 128 + 1);
    for (std::size_t p = 0; p < t.size(); ++p) t[p] = std::sqrt(double(p));
    return t;
  }();
  return table.data();
}

// int8 samples with scale 1: decodes like decode<int8_t> and adds each stream's |H| to amp
// (stream order, as the generic path); re/im are written for the first `keep` streams only (the
// phase reads no others). Returns the total power Σ re² + im² (exact in integers).
std::int64_t amplitude_int8(const char* data, std::size_t n_bins, std::size_t streams, std::span<const std::uint32_t> bins,
                            std::size_t keep, double* re, double* im, double* amp) {
  const double* root = int8_sqrt_table();
  const std::size_t n = bins.size();
  std::int64_t energy = 0;
  for (std::size_t s = 0; s < streams; ++s) {
    const auto* base = reinterpret_cast<const std::int8_t*>(data) + 2 * s * n_bins;
    if (s < keep) {
      for (std::size_t i = 0; i < n; ++i) {
        const int a = base[2 * bins[i]], b = base[2 * bins[i] + 1];
        re[s * n + i] = double(a);
        im[s * n + i] = double(b);
        const int p = a * a + b * b;
        energy += p;
        amp[i] += root[p];
      }
    } else {  // only the amplitude needs this stream
      for (std::size_t i = 0; i < n; ++i) {
        const int a = base[2 * bins[i]], b = base[2 * bins[i] + 1];
        const int p = a * a + b * b;
        energy += p;
        amp[i] += root[p];
      }
    }
  }
  return energy;
}

}  // namespace

std::string CsiPreprocessor::process(const v1::CsiFrame& f, CanonicalFrame& out) {
  std::optional<csi::FrameView> view;
  try {
    view.emplace(f);  // validates shape and sample type
  } catch (const std::exception&) {
    return "inconsistent_frame";
  }
  std::string why;
  const Layout* layout = layout_for(f, why);
  if (!layout) return why;
  const std::size_t n = layout->bins.size();
  const std::size_t streams = view->n_rx() * view->n_tx();
  if (streams == 0) return "inconsistent_frame";

  re_.resize(streams * n);
  im_.resize(streams * n);
  const double scale = f.scale() == 0.0 ? 1.0 : f.scale();
  const char* data = f.samples().data();
  amp_.assign(n, 0.0);
  double energy = 0;
  if (f.sample_type() == v1::SAMPLE_TYPE_INT8 && scale == 1.0) {
    // ESP32 buffers: integer power, its square root from a table (exact: filled with std::sqrt),
    // which spares the per-sample sqrt that otherwise bounds this step.
    // The phase reads stream 0 and, with two receive chains, stream n_tx (rx 1, tx 0).
    const std::size_t keep = keep_streams_ ? streams : view->n_rx() >= 2 ? view->n_tx() + 1 : 1;
    energy = double(amplitude_int8(data, view->n_bins(), streams, layout->bins, keep, re_.data(), im_.data(), amp_.data()));
  } else {
    switch (f.sample_type()) {
      case v1::SAMPLE_TYPE_INT8: decode<std::int8_t>(data, view->n_bins(), streams, layout->bins, scale, re_.data(), im_.data()); break;
      case v1::SAMPLE_TYPE_INT16_LE: decode<std::int16_t>(data, view->n_bins(), streams, layout->bins, scale, re_.data(), im_.data()); break;
      case v1::SAMPLE_TYPE_FLOAT32_LE: decode<float>(data, view->n_bins(), streams, layout->bins, scale, re_.data(), im_.data()); break;
      default: decode<double>(data, view->n_bins(), streams, layout->bins, scale, re_.data(), im_.data()); break;
    }
    // Amplitude summed over streams; sqrt(re² + im²) rather than hypot (no overflow concern at
    // CSI magnitudes; a non-finite or overflowing value makes the energy non-finite and is rejected).
    power_.resize(n);
    Eigen::Map<Eigen::ArrayXd> amp(amp_.data(), Eigen::Index(n)), power(power_.data(), Eigen::Index(n));
    for (std::size_t s = 0; s < streams; ++s) {  // Eigen: SIMD sqrt and a tree sum
      const Eigen::Map<const Eigen::ArrayXd> r(re_.data() + s * n, Eigen::Index(n)), q(im_.data() + s * n, Eigen::Index(n));
      power = r.square() + q.square();
      energy += power.sum();
      amp += power.sqrt();
    }
  }
  if (!std::isfinite(energy)) return "non_finite";
  if (energy <= 0) return "all_zero";
  Eigen::Map<Eigen::ArrayXd>(amp_.data(), Eigen::Index(n)) *= 1.0 / double(streams);  // mean over streams
  layout->mapper->map(amp_, out.amplitude);

  out.gain_compensated = f.scale() != 0.0 && f.scale() != 1.0;
  out.has_phase = !f.amplitude_only();
  out.streams.clear();
  if (keep_streams_) {
    // Amplitude channels need the reported gain; phase ratios need two chains and phase.
    stream_channels(re_, im_, out.has_phase ? view->n_rx() : 1, view->n_tx(), n, out.gain_compensated, out.streams);
  }
  if (!out.has_phase) {
    std::fill(out.phase.begin(), out.phase.end(), 0.0);
    return {};
  }
  phase_.resize(n);
  if (view->n_rx() >= 2) {
    // CSI ratio of the first two receive chains (first transmit stream): common offsets cancel.
    // H0·conj(H1) = (a + jb)(c − jd) = (ac + bd) + j(bc − ad).
    const std::size_t s1 = view->n_tx() * n;  // rx 1, tx 0
    ratio_re_.resize(n);
    ratio_im_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double a = re_[i], b = im_[i], c = re_[s1 + i], d = im_[s1 + i];
      ratio_im_[i] = b * c - a * d;
      ratio_re_[i] = a * c + b * d;
    }
    dsp::fast_atan2(ratio_im_, ratio_re_, phase_);
    dsp::unwrap(phase_);
  } else {
    dsp::fast_atan2(std::span<const double>(im_).first(n), std::span<const double>(re_).first(n), phase_);
    dsp::unwrap(phase_);
    dsp::detrend(phase_, layout->index);
  }
  layout->mapper->map(phase_, out.phase);
  return {};
}

}  // namespace wdp::signal
