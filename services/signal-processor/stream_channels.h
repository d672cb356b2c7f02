#pragma once
// Heart-rate channels kept per receive stream, and their history on a uniform time grid.
//
// A 0.3 mm heartbeat moves the chest path's phase by ~0.07 rad; on the simulator's living-room
// link that changes |H| by ~0.1 % with a sign and size that differ from stream to stream. The
// canonical amplitude (mean over streams) cancels much of it, and one stream's bin sits at the
// noise floor after 30 s (signal-processor README, "Heart rate, honestly"); only the sum of
// hundreds of per-stream, per-bin spectra lifts the line above the floor. So, per usable bin:
//  - |H| of every stream, when the source reports its gain (otherwise AGC steps would dominate);
//  - for every receive chain r ≥ 1 and transmit stream x: cos and sin of arg(H_rx · conj(H_0x)),
//    in which CFO, STO, common phase noise and AGC cancel (a unit phasor: bounded, no unwrap).
#include <cstddef>
#include <span>
#include <vector>

namespace wdp::signal {

// re/im: decoded CSI, stream-major ([rx][tx][bin], n bins per stream). Replaces `out`.
void stream_channels(std::span<const double> re, std::span<const double> im, std::size_t n_rx, std::size_t n_tx,
                     std::size_t n, bool amplitude, std::vector<float>& out);

// Boxcar means of per-frame channel vectors on a uniform grid (bucket = floor(t · rate)), the
// last `capacity` grid samples kept. An empty bucket (input slower than the grid) repeats the
// previous sample; a gap over `max_gap_s`, time going back, or a change of the channel count
// starts over.
class ChannelHistory {
 public:
  ChannelHistory(double rate_hz, double max_gap_s, std::size_t capacity);

  void push(double t, std::span<const float> values);
  void reset();

  std::size_t channels() const { return channels_; }
  std::size_t size() const { return size_; }  // grid samples held
  // The last n (≤ size()) samples of channel c, oldest first.
  void last(std::size_t c, std::size_t n, std::vector<double>& out) const;

 private:
  void close_bucket();

  double rate_, max_gap_s_;
  std::size_t capacity_;
  std::size_t channels_ = 0, size_ = 0, head_ = 0;  // head_: next row to write
  std::vector<float> ring_;                          // channels_ × capacity_ (channel-major)
  std::vector<double> sum_;
  std::size_t count_ = 0;
  long long bucket_ = 0;
  double last_t_ = -1;
};

}  // namespace wdp::signal
