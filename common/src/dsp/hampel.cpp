#include "wdp/dsp/hampel.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include <immintrin.h>
#define WDP_HAMPEL_AVX2 1
#endif

namespace wdp::dsp {

namespace detail {
#ifdef WDP_HAMPEL_AVX2
bool hampel_avx2 = __builtin_cpu_supports("avx2");
bool hampel_avx512 = __builtin_cpu_supports("avx512f");
#else
bool hampel_avx2 = false;
bool hampel_avx512 = false;
#endif
}  // namespace detail

namespace {

// The helpers below are inlined; the warning about the AVX vector ABI of non-AVX callers is moot.
#pragma GCC diagnostic ignored "-Wpsabi"

// Portable kernel: 4 channels per vector (GCC vector extensions, SSE2 pairs on baseline x86-64);
// min/max are the compare-select that minpd/maxpd implement. The AVX2 kernel below does 8.
using V4d = double __attribute__((vector_size(32)));
using V4f = float __attribute__((vector_size(16)));
constexpr std::size_t kLanes = 4;
constexpr std::size_t kStride = 8;  // ring rows padded to 8 channels (the AVX2 kernel's width)

inline V4d vmin(V4d a, V4d b) { return a < b ? a : b; }
inline V4d vmax(V4d a, V4d b) { return a < b ? b : a; }
inline V4d vload(const float* p) {
  V4f f;
  std::memcpy(&f, p, sizeof f);
  return __builtin_convertvector(f, V4d);
}


// Full 7-sample windows (h = 3) for `chunks` groups of 4 channels; rows[k] points at frame k of
// the window, `center` at the frame being decided. Same arithmetic as hampel_value(): the sorted
// window gives m = s3 exactly, and since |s_i − m| is monotone on each side of the median, the
// MAD (4th smallest of 7 deviations, one of them 0) is the 3rd smallest of the two sorted
// sides a = (m−s2, m−s1, m−s0), b = (s4−m, s5−m, s6−m): min(a2, b2, max(a0, b1), max(a1, b0)).
std::uint64_t hampel_h3_kernel(const float* const* rows, const float* center, std::size_t chunks, double t,
                               double min_sigma, double min_relative_sigma, float* out) {
  std::uint64_t outliers = 0;
  const V4d zero = {0, 0, 0, 0};
  for (std::size_t q = 0; q < chunks; ++q) {
    const std::size_t o = q * kLanes;
    V4d s[7];
    for (int k = 0; k < 7; ++k) s[k] = vload(rows[k] + o);
    auto ce = [&](int i, int j) {
      const V4d lo = vmin(s[i], s[j]);
      s[j] = vmax(s[i], s[j]);
      s[i] = lo;
    };
    ce(0, 6), ce(2, 3), ce(4, 5), ce(0, 2), ce(1, 4), ce(3, 6), ce(0, 1), ce(2, 5);
    ce(3, 4), ce(1, 2), ce(4, 6), ce(2, 3), ce(4, 5), ce(1, 2), ce(3, 4), ce(5, 6);
    const V4d m = s[3];
    const V4d mad = vmin(vmin(m - s[0], s[6] - m), vmin(vmax(m - s[2], s[5] - m), vmax(m - s[1], s[4] - m)));
    const V4d abs_m = m < zero ? -m : m;
    const V4d sigma = vmax(vmax(kMadToSigma * mad, zero + min_sigma), min_relative_sigma * abs_m);
    const V4d x = vload(center + o);
    const V4d dx = x - m;
    const V4d d = dx < zero ? -dx : dx;
    const V4d limit = sigma > 1e-15 ? t * sigma : zero + 1e-15;
    const auto outlier = d > limit;
    const V4f result = __builtin_convertvector(outlier ? m : x, V4f);
    std::memcpy(out + o, &result, sizeof result);
    for (std::size_t l = 0; l < kLanes; ++l) outliers += outlier[l] != 0;
  }
  return outliers;
}

#ifdef WDP_HAMPEL_AVX2
// The same decision, 8 channels per step: the window is sorted in float (min/max are exact, so
// the sorted values are the same), then each half is widened to double for the MAD, sigma and
// threshold arithmetic, exactly as in hampel_value().
__attribute__((target("avx2"))) std::uint64_t hampel_h3_avx2(const float* const* rows, const float* center,
                                                             std::size_t chunks, double t, double min_sigma,
                                                             double min_relative_sigma, float* out) {
  std::uint64_t outliers = 0;
  const __m256d sign = _mm256_set1_pd(-0.0), floor_abs = _mm256_set1_pd(min_sigma), tiny = _mm256_set1_pd(1e-15);
  const __m256d scale = _mm256_set1_pd(kMadToSigma), rel = _mm256_set1_pd(min_relative_sigma), tt = _mm256_set1_pd(t);
  for (std::size_t q = 0; q < chunks; ++q) {
    const std::size_t o = q * 8;
    __m256 s[7];
    for (int k = 0; k < 7; ++k) s[k] = _mm256_loadu_ps(rows[k] + o);
    // Lambdas would not inherit the avx2 target: a macro keeps the intrinsics inline.
#define WDP_CE(i, j)                              \
  do {                                            \
    const __m256 lo = _mm256_min_ps(s[i], s[j]); \
    s[j] = _mm256_max_ps(s[i], s[j]);             \
    s[i] = lo;                                    \
  } while (0)
    WDP_CE(0, 6); WDP_CE(2, 3); WDP_CE(4, 5); WDP_CE(0, 2); WDP_CE(1, 4); WDP_CE(3, 6); WDP_CE(0, 1); WDP_CE(2, 5);
    WDP_CE(3, 4); WDP_CE(1, 2); WDP_CE(4, 6); WDP_CE(2, 3); WDP_CE(4, 5); WDP_CE(1, 2); WDP_CE(3, 4); WDP_CE(5, 6);
#undef WDP_CE
    const __m256 x8 = _mm256_loadu_ps(center + o);
    for (int half = 0; half < 2; ++half) {
#define wide(v) _mm256_cvtps_pd(half ? _mm256_extractf128_ps(v, 1) : _mm256_castps256_ps128(v))
      const __m256d m = wide(s[3]);
      const __m256d mad = _mm256_min_pd(
          _mm256_min_pd(_mm256_sub_pd(m, wide(s[0])), _mm256_sub_pd(wide(s[6]), m)),
          _mm256_min_pd(_mm256_max_pd(_mm256_sub_pd(m, wide(s[2])), _mm256_sub_pd(wide(s[5]), m)),
                        _mm256_max_pd(_mm256_sub_pd(m, wide(s[1])), _mm256_sub_pd(wide(s[4]), m))));
      const __m256d abs_m = _mm256_andnot_pd(sign, m);
      const __m256d sigma = _mm256_max_pd(_mm256_max_pd(_mm256_mul_pd(scale, mad), floor_abs), _mm256_mul_pd(rel, abs_m));
      const __m256d x = wide(x8);
      const __m256d d = _mm256_andnot_pd(sign, _mm256_sub_pd(x, m));
      const __m256d limit = _mm256_blendv_pd(tiny, _mm256_mul_pd(tt, sigma), _mm256_cmp_pd(sigma, tiny, _CMP_GT_OQ));
      const __m256d outlier = _mm256_cmp_pd(d, limit, _CMP_GT_OQ);
      _mm_storeu_ps(out + o + 4 * half, _mm256_cvtpd_ps(_mm256_blendv_pd(x, m, outlier)));
      outliers += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_pd(outlier))));
#undef wide
    }
  }
  return outliers;
}
#endif

#ifdef WDP_HAMPEL_AVX2
// As hampel_h3_avx2, with the double-precision half (MAD, sigma, threshold) done for all 8
// channels in one 512-bit register instead of two 256-bit halves: the same operations per lane.
// (GCC 12's AVX-512 conversion intrinsics start from an undefined register: a known false
// -Wmaybe-uninitialized.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f"))) std::uint64_t hampel_h3_avx512(const float* const* rows, const float* center,
                                                                 std::size_t chunks, double t, double min_sigma,
                                                                 double min_relative_sigma, float* out) {
  std::uint64_t outliers = 0;
  const __m512d floor_abs = _mm512_set1_pd(min_sigma), tiny = _mm512_set1_pd(1e-15);
  const __m512d scale = _mm512_set1_pd(kMadToSigma), rel = _mm512_set1_pd(min_relative_sigma), tt = _mm512_set1_pd(t);
  for (std::size_t q = 0; q < chunks; ++q) {
    const std::size_t o = q * 8;
    __m256 s[7];
    for (int k = 0; k < 7; ++k) s[k] = _mm256_loadu_ps(rows[k] + o);
#define WDP_CE(i, j)                              \
  do {                                            \
    const __m256 lo = _mm256_min_ps(s[i], s[j]); \
    s[j] = _mm256_max_ps(s[i], s[j]);             \
    s[i] = lo;                                    \
  } while (0)
    WDP_CE(0, 6); WDP_CE(2, 3); WDP_CE(4, 5); WDP_CE(0, 2); WDP_CE(1, 4); WDP_CE(3, 6); WDP_CE(0, 1); WDP_CE(2, 5);
    WDP_CE(3, 4); WDP_CE(1, 2); WDP_CE(4, 6); WDP_CE(2, 3); WDP_CE(4, 5); WDP_CE(1, 2); WDP_CE(3, 4); WDP_CE(5, 6);
#undef WDP_CE
    const __m512d m = _mm512_cvtps_pd(s[3]);
    const __m512d mad = _mm512_min_pd(
        _mm512_min_pd(_mm512_sub_pd(m, _mm512_cvtps_pd(s[0])), _mm512_sub_pd(_mm512_cvtps_pd(s[6]), m)),
        _mm512_min_pd(_mm512_max_pd(_mm512_sub_pd(m, _mm512_cvtps_pd(s[2])), _mm512_sub_pd(_mm512_cvtps_pd(s[5]), m)),
                      _mm512_max_pd(_mm512_sub_pd(m, _mm512_cvtps_pd(s[1])), _mm512_sub_pd(_mm512_cvtps_pd(s[4]), m))));
    const __m512d sigma = _mm512_max_pd(_mm512_max_pd(_mm512_mul_pd(scale, mad), floor_abs), _mm512_mul_pd(rel, _mm512_abs_pd(m)));
    const __m512d x = _mm512_cvtps_pd(_mm256_loadu_ps(center + o));
    const __m512d d = _mm512_abs_pd(_mm512_sub_pd(x, m));
    const __m512d limit = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(sigma, tiny, _CMP_GT_OQ), tiny, _mm512_mul_pd(tt, sigma));
    const __mmask8 outlier = _mm512_cmp_pd_mask(d, limit, _CMP_GT_OQ);
    _mm256_storeu_ps(out + o, _mm512_cvtpd_ps(_mm512_mask_blend_pd(outlier, x, m)));
    outliers += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(outlier)));
  }
  return outliers;
}
#pragma GCC diagnostic pop
#endif

// One Hampel decision for value v in window w (scratch is reordered).
double hampel_value(double v, std::span<double> w, std::span<double> dev, const HampelParams& p, bool& outlier) {
  const double threshold = p.threshold;
  const double m = median_inplace(w);
  for (std::size_t k = 0; k < w.size(); ++k) dev[k] = std::abs(w[k] - m);
  const double sigma = std::max({kMadToSigma * median_inplace(dev.first(w.size())), p.min_sigma,
                                 p.min_relative_sigma * std::abs(m)});
  const double d = std::abs(v - m);
  outlier = sigma > 1e-15 ? d > threshold * sigma : d > 1e-15;
  return outlier ? m : v;
}

}  // namespace

double median_inplace(std::span<double> s) {
  if (s.empty()) throw std::invalid_argument("median of an empty window");
  const std::size_t mid = s.size() / 2;
  std::nth_element(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(mid), s.end());
  const double hi = s[mid];
  if (s.size() % 2 == 1) return hi;
  const double lo = *std::max_element(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lo + hi);
}

std::vector<std::size_t> hampel_filter(std::span<const double> x, std::span<double> out, HampelParams p) {
  if (x.empty()) throw std::invalid_argument("hampel_filter: empty input");
  if (p.half_window == 0) throw std::invalid_argument("hampel_filter: half_window must be >= 1");
  if (out.size() != x.size()) throw std::invalid_argument("hampel_filter: output size differs from input");
  std::vector<double> w(2 * p.half_window + 1), dev(w.size());
  std::vector<std::size_t> outliers;
  const std::size_t n = x.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t lo = i >= p.half_window ? i - p.half_window : 0;
    const std::size_t hi = std::min(n - 1, i + p.half_window);
    const std::size_t len = hi - lo + 1;
    std::copy(x.begin() + static_cast<std::ptrdiff_t>(lo), x.begin() + static_cast<std::ptrdiff_t>(hi + 1), w.begin());
    bool outlier = false;
    out[i] = hampel_value(x[i], std::span(w).first(len), dev, p, outlier);
    if (outlier) outliers.push_back(i);
  }
  return outliers;
}

HampelBank::HampelBank(std::size_t channels, HampelParams p)
    : channels_(channels), stride_((channels + kStride - 1) / kStride * kStride), p_(p), depth_(2 * p.half_window + 1),
      ring_(depth_ * stride_), padded_out_(stride_), window_(depth_), deviations_(depth_) {
  if (channels == 0) throw std::invalid_argument("HampelBank: no channels");
  if (p.half_window == 0) throw std::invalid_argument("HampelBank: half_window must be >= 1");
}

void HampelBank::reset() {
  pushed_ = 0;
  emitted_ = 0;
}

void HampelBank::emit_h3(std::size_t center, std::span<float> out) {
  const float* rows[7];
  for (std::size_t k = 0; k < 7; ++k) rows[k] = ring_.data() + ((center - 3 + k) % depth_) * stride_;
  // Padding lanes hold 0 and never count as outliers (d = 0 is not > limit).
#ifdef WDP_HAMPEL_AVX2
  if (detail::hampel_avx512) {
    outliers_ += hampel_h3_avx512(rows, rows[3], stride_ / kStride, p_.threshold, p_.min_sigma, p_.min_relative_sigma,
                                  padded_out_.data());
  } else if (detail::hampel_avx2) {
    outliers_ += hampel_h3_avx2(rows, rows[3], stride_ / kStride, p_.threshold, p_.min_sigma, p_.min_relative_sigma,
                                padded_out_.data());
  } else
#endif
  {
    outliers_ += hampel_h3_kernel(rows, rows[3], stride_ / kLanes, p_.threshold, p_.min_sigma, p_.min_relative_sigma,
                                  padded_out_.data());
  }
  std::copy_n(padded_out_.begin(), channels_, out.begin());
  ++emitted_;
}

void HampelBank::emit(std::size_t center, std::size_t lo, std::size_t hi, std::span<float> out) {
  const std::size_t len = hi - lo + 1;
  if (len == 7 && p_.half_window == 3) {
    emit_h3(center, out);
    return;
  }
  for (std::size_t c = 0; c < channels_; ++c) {
    for (std::size_t t = lo; t <= hi; ++t) window_[t - lo] = row(t)[c];
    bool outlier = false;
    out[c] = static_cast<float>(
        hampel_value(row(center)[c], std::span(window_).first(len), deviations_, p_, outlier));
    outliers_ += outlier;
  }
  ++emitted_;
}

bool HampelBank::push(std::span<const float> frame, std::span<float> out) {
  if (frame.size() != channels_ || out.size() != channels_) {
    throw std::invalid_argument("HampelBank::push: frame has " + std::to_string(frame.size()) + " values, bank has " +
                                std::to_string(channels_));
  }
  std::copy(frame.begin(), frame.end(), ring_.begin() + static_cast<std::ptrdiff_t>((pushed_ % depth_) * stride_));
  ++pushed_;
  const std::size_t h = p_.half_window;
  if (pushed_ <= h) return false;  // the first output needs h frames of look-ahead
  const std::size_t center = emitted_;
  const std::size_t lo = center >= h ? center - h : 0;
  emit(center, lo, pushed_ - 1, out);
  return true;
}

bool HampelBank::flush(std::span<float> out) {
  if (emitted_ >= pushed_) {
    reset();
    return false;
  }
  const std::size_t h = p_.half_window;
  const std::size_t center = emitted_;
  const std::size_t lo = center >= h ? center - h : 0;
  emit(center, lo, pushed_ - 1, out);
  return true;
}

}  // namespace wdp::dsp
