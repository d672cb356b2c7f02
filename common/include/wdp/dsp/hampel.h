#pragma once
// Hampel outlier filter (../shared/docs/signal-reference.md §1).
//
// For each sample i: W = x[i-h .. i+h] truncated at the ends (never padded), taken from the
// original input; m = median(W); sigma = 1.4826 * median(|W - m|). x_i is an outlier when
// |x_i - m| > t * sigma (or > 1e-15 when sigma <= 1e-15) and is replaced by m.
//
// hampel_filter() is the batch form. HampelBank filters S parallel streams (one per subcarrier)
// frame by frame with a delay of h frames; its output equals the batch output of each stream.
// For the default h = 3, full windows go through a branch-free sorting network (16 compare-
// exchanges, 4 channels per vector) and the MAD comes from the two sorted halves around the
// median: identical values to the sort-based path, without per-sample selection.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace wdp::dsp {

struct HampelParams {
  std::size_t half_window = 3;  // h: window 2h+1
  double threshold = 3.0;       // t, in robust standard deviations
  // Floors on sigma. With quantized data (int8 CSI) most windows have MAD = 0, and the plain rule
  // would flag every 1-LSB change as an outlier and erase small, real variations (breathing).
  // sigma = max(1.4826·MAD, min_sigma, min_relative_sigma·|median|). Both 0 = reference behaviour.
  double min_sigma = 0.0;
  double min_relative_sigma = 0.0;
};

inline constexpr double kMadToSigma = 1.4826;

namespace detail {
// Whether HampelBank uses its AVX2 kernel (set at start-up from the CPU; tests clear it to check
// the portable kernel gives the same values).
extern bool hampel_avx2;
extern bool hampel_avx512;  // the same with the double-precision half in 512-bit registers (preferred)
}  // namespace detail

// Median of a non-empty span (mean of the two middle values for even sizes). Reorders `scratch`.
double median_inplace(std::span<double> scratch);

// Filters `x` into `out` (same size; may alias x? no: out must not overlap x). Returns outlier
// indices. Throws std::invalid_argument for empty input or h = 0.
std::vector<std::size_t> hampel_filter(std::span<const double> x, std::span<double> out, HampelParams p = {});

class HampelBank {
 public:
  HampelBank(std::size_t channels, HampelParams p = {});

  // Adds one frame (one value per channel). Once h frames of look-ahead exist, writes the
  // filtered frame from h frames ago into `out` and returns true.
  bool push(std::span<const float> frame, std::span<float> out);
  // End of stream: emits the remaining h frames (windows truncated at the end), oldest first,
  // one per call; returns false when nothing is left. push() may follow to start a new stream.
  bool flush(std::span<float> out);
  void reset();

  std::size_t channels() const { return channels_; }
  std::uint64_t outliers() const { return outliers_; }

 private:
  void emit(std::size_t center, std::size_t lo, std::size_t hi, std::span<float> out);
  void emit_h3(std::size_t center, std::span<float> out);
  std::span<const float> row(std::size_t t) const { return {ring_.data() + (t % depth_) * stride_, channels_}; }

  std::size_t channels_;
  std::size_t stride_;         // channels_ rounded up to the vector width (padding stays 0)
  HampelParams p_;
  std::size_t depth_;          // 2h+1 frames kept
  std::vector<float> ring_;    // depth_ x stride_
  std::vector<float> padded_out_;
  std::uint64_t pushed_ = 0;   // frames pushed since reset
  std::uint64_t emitted_ = 0;  // frames emitted since reset
  std::vector<double> window_, deviations_;
  std::uint64_t outliers_ = 0;
};

}  // namespace wdp::dsp
