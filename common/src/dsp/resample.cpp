#include "wdp/dsp/resample.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace wdp::dsp {

const std::vector<int>& canonical_indices() {
  static const std::vector<int> idx = [] {
    std::vector<int> v;
    for (int m = -28; m <= 28; ++m) {
      if (m != 0) v.push_back(m);
    }
    return v;
  }();
  return idx;
}

SubcarrierMapper::SubcarrierMapper(std::span<const int> indices, std::span<const bool> valid) : n_in_(indices.size()) {
  if (valid.size() != indices.size()) throw std::invalid_argument("SubcarrierMapper: indices and flags differ in size");
  std::vector<std::uint32_t> usable;
  int extent = 0;
  for (std::size_t i = 0; i < indices.size(); ++i) {
    if (!valid[i]) continue;
    usable.push_back(static_cast<std::uint32_t>(i));
    extent = std::max(extent, std::abs(indices[i]));
  }
  if (usable.size() < 2 || extent == 0) {
    throw std::invalid_argument("SubcarrierMapper: need at least 2 valid bins, got " + std::to_string(usable.size()));
  }
  // Several training fields may repeat an index; keep the first occurrence of each.
  std::stable_sort(usable.begin(), usable.end(), [&](auto a, auto b) { return indices[a] < indices[b]; });
  usable.erase(std::unique(usable.begin(), usable.end(), [&](auto a, auto b) { return indices[a] == indices[b]; }),
               usable.end());
  if (usable.size() < 2) throw std::invalid_argument("SubcarrierMapper: need at least 2 distinct valid indices");
  auto u = [&](std::uint32_t bin) { return double(indices[bin]) / extent; };
  for (int m : canonical_indices()) {
    const double target = double(m) / 28.0;
    const auto it = std::lower_bound(usable.begin(), usable.end(), target,
                                     [&](std::uint32_t bin, double t) { return u(bin) < t; });
    if (it == usable.begin()) {
      taps_.push_back({usable.front(), usable.front(), 0.0});
    } else if (it == usable.end()) {
      taps_.push_back({usable.back(), usable.back(), 0.0});
    } else {
      const std::uint32_t hi = *it, lo = *(it - 1);
      const double w = (target - u(lo)) / (u(hi) - u(lo));
      taps_.push_back({lo, hi, w});
    }
  }
}

void SubcarrierMapper::map(std::span<const double> in, std::span<double> out) const {
  if (in.size() != n_in_ || out.size() != kCanonicalBins) throw std::invalid_argument("SubcarrierMapper::map: size mismatch");
  for (std::size_t k = 0; k < kCanonicalBins; ++k) {
    const Tap& t = taps_[k];
    out[k] = (1 - t.w_hi) * in[t.lo] + t.w_hi * in[t.hi];
  }
}

void resample_linear_by_position(std::span<const double> in, std::span<double> out) {
  if (in.empty() || out.empty()) throw std::invalid_argument("resample_linear_by_position: empty");
  const std::size_t S = in.size(), K = out.size();
  for (std::size_t k = 0; k < K; ++k) {
    const double pos = K == 1 ? 0.0 : double(k) * double(S - 1) / double(K - 1);
    const std::size_t i0 = static_cast<std::size_t>(std::floor(pos));
    const std::size_t i1 = std::min(S - 1, static_cast<std::size_t>(std::ceil(pos)));
    const double w = pos - double(i0);
    out[k] = (1 - w) * in[i0] + w * in[i1];
  }
}

UniformResampler::UniformResampler(std::size_t channels, double rate_hz, double max_gap_s, Emit emit)
    : channels_(channels), period_(1.0 / rate_hz), max_gap_(max_gap_s), emit_(std::move(emit)),
      last_(channels), scratch_(channels), sum_(channels) {
  if (!(rate_hz > 0) || channels == 0) throw std::invalid_argument("UniformResampler: rate and channels must be > 0");
}

void UniformResampler::push(double t, std::span<const double> v) {
  if (v.size() != channels_) throw std::invalid_argument("UniformResampler: channel count changed");
  if (!std::isfinite(t)) return;
  if (started_ && t < last_t_) {
    ++out_of_order_;
    return;
  }
  if (!started_ || t - last_t_ > max_gap_) {
    if (started_) ++gaps_;
    started_ = true;
    std::copy(v.begin(), v.end(), last_.begin());
    last_t_ = t;
    emit_(t, last_);
    next_t_ = t + period_;
    std::fill(sum_.begin(), sum_.end(), 0.0);
    count_ = 0;
    return;
  }
  // Emit every grid point in (last_t_, t]: the mean of the period's samples when there are
  // several, else the interpolation between the two samples around the grid point.
  while (next_t_ <= t) {
    if (count_ >= 2) {
      for (std::size_t c = 0; c < channels_; ++c) scratch_[c] = sum_[c] / double(count_);
    } else {
      const double w = t > last_t_ ? (next_t_ - last_t_) / (t - last_t_) : 1.0;
      for (std::size_t c = 0; c < channels_; ++c) scratch_[c] = (1 - w) * last_[c] + w * v[c];
    }
    emit_(next_t_, scratch_);
    next_t_ += period_;
    std::fill(sum_.begin(), sum_.end(), 0.0);
    count_ = 0;
  }
  std::size_t c = 0;
#ifdef __SSE2__
  // Two channels per step: at -O2 the compiler does not vectorize this (possible aliasing).
  for (; c + 2 <= channels_; c += 2) {
    _mm_storeu_pd(sum_.data() + c, _mm_add_pd(_mm_loadu_pd(sum_.data() + c), _mm_loadu_pd(v.data() + c)));
  }
#endif
  for (; c < channels_; ++c) sum_[c] += v[c];
  ++count_;
  std::copy(v.begin(), v.end(), last_.begin());
  last_t_ = t;
}

}  // namespace wdp::dsp
