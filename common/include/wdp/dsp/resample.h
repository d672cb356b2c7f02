#pragma once
// Resampling in frequency (subcarriers) and in time.
//
// Canonical subcarrier grid: the 56 occupied HT20 tones −28…−1, +1…+28. A frame of any
// bandwidth is mapped by relative position in its occupied band, u = m / max|m| over its valid
// (non-null) bins, onto u_k = m_k / 28 of the canonical grid, with linear interpolation between
// the nearest valid bins on each side and the edge value held beyond the last valid bin. HT40
// (±58), legacy (±26), Intel 5300 groups (±28) and ESP32 layouts therefore all land on the same
// 56 points. Phase must be unwrapped and detrended before this (signal-reference.md §5).
//
// UniformResampler: irregular (t, vector) samples -> vectors on a uniform grid t0 + n/fs. When two
// or more samples fall in one grid period (input faster than the grid), the grid point gets
// their mean, a boxcar that averages noise down instead of discarding samples; otherwise it is
// interpolated linearly between the samples around it. A gap longer than max_gap is not
// bridged: the grid restarts after it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace wdp::dsp {

inline constexpr std::size_t kCanonicalBins = 56;

// The canonical indices: −28…−1, +1…+28.
const std::vector<int>& canonical_indices();

class SubcarrierMapper {
 public:
  // `indices`: true OFDM index per input bin; `valid`: whether a bin carries channel information
  // (not null/guard/invalid). Throws if fewer than 2 valid bins.
  SubcarrierMapper(std::span<const int> indices, std::span<const bool> valid);
  // out.size() == kCanonicalBins; in.size() == indices.size().
  void map(std::span<const double> in, std::span<double> out) const;
  std::size_t input_bins() const { return n_in_; }

 private:
  struct Tap {
    std::uint32_t lo, hi;  // input bins
    double w_hi;           // weight of hi; lo gets 1 − w_hi
  };
  std::size_t n_in_;
  std::vector<Tap> taps_;
};

// Endpoint-preserving linear resampling by position (the MM-Fi 114 → 56 convention):
// pos_k = k·(S−1)/(K−1).
void resample_linear_by_position(std::span<const double> in, std::span<double> out);

class UniformResampler {
 public:
  using Emit = std::function<void(double t, std::span<const double> values)>;
  UniformResampler(std::size_t channels, double rate_hz, double max_gap_s, Emit emit);

  // Samples must come in non-decreasing time; an older one is ignored and counted.
  void push(double t, std::span<const double> values);
  std::uint64_t gaps() const { return gaps_; }
  std::uint64_t out_of_order() const { return out_of_order_; }

 private:
  std::size_t channels_;
  double period_, max_gap_;
  Emit emit_;
  bool started_ = false;
  double last_t_ = 0, next_t_ = 0;
  std::vector<double> last_, scratch_, sum_;
  std::size_t count_ = 0;  // samples accumulated in the current grid period
  std::uint64_t gaps_ = 0, out_of_order_ = 0;
};

}  // namespace wdp::dsp
