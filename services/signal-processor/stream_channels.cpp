#include "stream_channels.h"

#include <algorithm>
#include <cmath>

namespace wdp::signal {

void stream_channels(std::span<const double> re, std::span<const double> im, std::size_t n_rx, std::size_t n_tx,
                     std::size_t n, bool amplitude, std::vector<float>& out) {
  out.clear();
  if (amplitude) {
    for (std::size_t i = 0; i < n_rx * n_tx * n; ++i) out.push_back(static_cast<float>(std::sqrt(re[i] * re[i] + im[i] * im[i])));
  }
  for (std::size_t r = 1; r < n_rx; ++r) {
    for (std::size_t x = 0; x < n_tx; ++x) {
      const std::size_t s = (r * n_tx + x) * n, s0 = x * n;
      for (std::size_t i = 0; i < n; ++i) {
        // H_rx · conj(H_0x) = (a + jb)(c − jd)
        const double a = re[s + i], b = im[s + i], c = re[s0 + i], d = im[s0 + i];
        const double pr = a * c + b * d, pi = b * c - a * d, m = std::sqrt(pr * pr + pi * pi);
        out.push_back(m > 0 ? static_cast<float>(pr / m) : 1.0f);
        out.push_back(m > 0 ? static_cast<float>(pi / m) : 0.0f);
      }
    }
  }
}

ChannelHistory::ChannelHistory(double rate_hz, double max_gap_s, std::size_t capacity)
    : rate_(rate_hz), max_gap_s_(max_gap_s), capacity_(std::max<std::size_t>(capacity, 1)) {}

void ChannelHistory::reset() {
  channels_ = size_ = head_ = count_ = 0;
  ring_.clear();
  sum_.clear();
  last_t_ = -1;
}

void ChannelHistory::close_bucket() {
  for (std::size_t c = 0; c < channels_; ++c) ring_[c * capacity_ + head_] = static_cast<float>(sum_[c] / double(count_));
  head_ = (head_ + 1) % capacity_;
  size_ = std::min(size_ + 1, capacity_);
}

void ChannelHistory::push(double t, std::span<const float> v) {
  if (v.empty()) return;
  if (v.size() != channels_ || last_t_ < 0 || t < last_t_ || t - last_t_ > max_gap_s_) {
    reset();
    channels_ = v.size();
    ring_.assign(capacity_ * channels_, 0.0f);
    sum_.assign(channels_, 0.0);
    bucket_ = static_cast<long long>(std::floor(t * rate_));
  }
  last_t_ = t;
  const auto b = static_cast<long long>(std::floor(t * rate_));
  if (b != bucket_ && count_ > 0) {
    close_bucket();
    // Buckets the input skipped (slower than the grid) repeat the sample just closed.
    const std::size_t prev = (head_ + capacity_ - 1) % capacity_;
    for (long long k = bucket_ + 1; k < b; ++k) {
      for (std::size_t c = 0; c < channels_; ++c) ring_[c * capacity_ + head_] = ring_[c * capacity_ + prev];
      head_ = (head_ + 1) % capacity_;
      size_ = std::min(size_ + 1, capacity_);
    }
    std::fill(sum_.begin(), sum_.end(), 0.0);
    count_ = 0;
  }
  bucket_ = b;
  for (std::size_t c = 0; c < channels_; ++c) sum_[c] += v[c];
  ++count_;
}

void ChannelHistory::last(std::size_t c, std::size_t n, std::vector<double>& out) const {
  n = std::min(n, size_);
  out.resize(n);
  const std::size_t start = (head_ + capacity_ - n) % capacity_;
  const float* row = ring_.data() + c * capacity_;  // channel-major: the read is contiguous
  const std::size_t first = std::min(n, capacity_ - start);
  std::copy_n(row + start, first, out.begin());
  std::copy_n(row, n - first, out.begin() + std::ptrdiff_t(first));
}

}  // namespace wdp::signal
