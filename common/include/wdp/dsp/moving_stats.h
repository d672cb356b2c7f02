#pragma once
// Per-channel moving mean and variance over the last W samples, O(channels) per update. Sums are
// taken around a per-channel shift (the mean at the last re-accumulation, which happens every W
// updates), so a large DC level does not cancel the precision of the variance.
#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace wdp::dsp {

class MovingStats {
 public:
  MovingStats(std::size_t channels, std::size_t window);

  void push(std::span<const double> frame);
  bool full() const { return count_ >= window_; }
  std::size_t size() const { return std::min(count_, window_); }
  std::size_t channels() const { return channels_; }
  // Inline: the motion detector reads both for every channel of every frame.
  double mean(std::size_t c) const { return size() ? shift_[c] + sum_[c] / double(size()) : 0.0; }
  double variance(std::size_t c) const {  // population variance of the samples held
    const std::size_t n = size();
    if (n < 2) return 0.0;
    const double m = sum_[c] / double(n);
    return std::max(0.0, sum2_[c] / double(n) - m * m);
  }
  // Oldest-first copy of one channel's samples (length size()).
  void history(std::size_t c, std::vector<double>& out) const;
  // Oldest-first copy of the newest min(n, size()) samples of one channel.
  void last(std::size_t c, std::size_t n, std::vector<double>& out) const;
  void reset();

 private:
  void recompute();

  std::size_t channels_, window_;
  std::vector<double> ring_;  // window_ x channels_
  std::vector<double> sum_, sum2_, shift_;
  std::size_t count_ = 0, head_ = 0, since_recompute_ = 0;
};

}  // namespace wdp::dsp
