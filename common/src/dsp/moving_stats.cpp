#include "wdp/dsp/moving_stats.h"

#include <algorithm>
#include <stdexcept>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace wdp::dsp {

MovingStats::MovingStats(std::size_t channels, std::size_t window)
    : channels_(channels), window_(window), ring_(channels * window), sum_(channels), sum2_(channels), shift_(channels) {
  if (channels == 0 || window == 0) throw std::invalid_argument("MovingStats: channels and window must be > 0");
}

void MovingStats::reset() {
  count_ = head_ = since_recompute_ = 0;
  std::fill(sum_.begin(), sum_.end(), 0.0);
  std::fill(sum2_.begin(), sum2_.end(), 0.0);
}

void MovingStats::push(std::span<const double> x) {
  if (x.size() != channels_) throw std::invalid_argument("MovingStats: channel count changed");
  if (count_ == 0) std::copy(x.begin(), x.end(), shift_.begin());
  double* slot = ring_.data() + head_ * channels_;
  const bool evict = count_ >= window_;
  double* sum = sum_.data();
  double* sum2 = sum2_.data();
  const double* shift = shift_.data();
  std::size_t c = 0;
#ifdef __SSE2__
  // Two channels per step (the compiler does not vectorize this at -O2: it cannot rule out
  // aliasing); the same operations, in the same order, per channel.
  for (; c + 2 <= channels_; c += 2) {
    __m128d s = _mm_loadu_pd(sum + c), s2 = _mm_loadu_pd(sum2 + c);
    const __m128d sh = _mm_loadu_pd(shift + c);
    if (evict) {
      const __m128d old = _mm_sub_pd(_mm_loadu_pd(slot + c), sh);
      s = _mm_sub_pd(s, old);
      s2 = _mm_sub_pd(s2, _mm_mul_pd(old, old));
    }
    const __m128d v = _mm_loadu_pd(x.data() + c);
    _mm_storeu_pd(slot + c, v);
    const __m128d d = _mm_sub_pd(v, sh);
    _mm_storeu_pd(sum + c, _mm_add_pd(s, d));
    _mm_storeu_pd(sum2 + c, _mm_add_pd(s2, _mm_mul_pd(d, d)));
  }
#endif
  for (; c < channels_; ++c) {
    if (evict) {
      const double old = slot[c] - shift[c];
      sum[c] -= old;
      sum2[c] -= old * old;
    }
    slot[c] = x[c];
    const double d = x[c] - shift[c];
    sum[c] += d;
    sum2[c] += d * d;
  }
  head_ = (head_ + 1) % window_;
  ++count_;
  if (++since_recompute_ >= window_) recompute();
}

void MovingStats::recompute() {
  for (std::size_t c = 0; c < channels_; ++c) shift_[c] = mean(c);
  std::fill(sum_.begin(), sum_.end(), 0.0);
  std::fill(sum2_.begin(), sum2_.end(), 0.0);
  const std::size_t n = size();
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = ring_.data() + i * channels_;
    for (std::size_t c = 0; c < channels_; ++c) {
      const double d = row[c] - shift_[c];
      sum_[c] += d;
      sum2_[c] += d * d;
    }
  }
  since_recompute_ = 0;
}

void MovingStats::history(std::size_t c, std::vector<double>& out) const {
  const std::size_t n = size();
  out.resize(n);
  std::size_t slot = count_ >= window_ ? head_ : 0;
  for (std::size_t i = 0; i < n; ++i) {  // no division per sample: wrap by comparison
    out[i] = ring_[slot * channels_ + c];
    if (++slot == window_) slot = 0;
  }
}

}  // namespace wdp::dsp

namespace wdp::dsp {

void MovingStats::last(std::size_t c, std::size_t n, std::vector<double>& out) const {
  n = std::min(n, size());
  out.resize(n);
  // The newest sample sits just before head_; wrap by comparison, not a division per sample.
  std::size_t slot = (head_ + window_ - n) % window_;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = ring_[slot * channels_ + c];
    if (++slot == window_) slot = 0;
  }
}

}  // namespace wdp::dsp
