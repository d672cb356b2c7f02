#include "wdp/dsp/phase.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include <immintrin.h>
#endif
#include <stdexcept>

namespace wdp::dsp {

void unwrap(std::span<double> p) {
  double correction = 0;
  double prev = p.empty() ? 0 : p[0];
  for (std::size_t k = 1; k < p.size(); ++k) {
    const double raw = p[k];
    const double d = raw - prev;
    if (d > kPi) {
      correction -= 2 * kPi;
    } else if (d < -kPi) {
      correction += 2 * kPi;
    }
    prev = raw;
    p[k] = raw + correction;
  }
}

LineFit detrend(std::span<double> y, std::span<const double> x) {
  if (y.size() != x.size()) throw std::invalid_argument("detrend: phase and index sizes differ");
  if (y.empty()) return {};
  const double n = static_cast<double>(y.size());
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < y.size(); ++k) {
    mx += x[k];
    my += y[k];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0;
  for (std::size_t k = 0; k < y.size(); ++k) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) * (x[k] - mx);
  }
  LineFit f;
  f.slope = sxx < 1e-12 ? 0.0 : sxy / sxx;
  f.intercept = my - f.slope * mx;
  for (std::size_t k = 0; k < y.size(); ++k) y[k] -= f.slope * x[k] + f.intercept;
  return f;
}

#ifdef __SSE2__
namespace {

// Two lanes per SSE2 register (baseline x86-64): the operations of fast_atan2, lane by lane.
inline __m128d select(__m128d mask, __m128d a, __m128d b) { return _mm_or_pd(_mm_and_pd(mask, a), _mm_andnot_pd(mask, b)); }

inline __m128d fast_atan2_v(__m128d y, __m128d x) {
  const __m128d sign = _mm_set1_pd(-0.0), one = _mm_set1_pd(1.0), zero = _mm_setzero_pd();
  const __m128d ax = _mm_andnot_pd(sign, x), ay = _mm_andnot_pd(sign, y);
  const __m128d hi = select(_mm_cmplt_pd(ax, ay), ay, ax), lo = select(_mm_cmplt_pd(ay, ax), ay, ax);  // std::max / min
  const __m128d z = _mm_div_pd(lo, select(_mm_cmpgt_pd(hi, zero), hi, one));
  const __m128d big = _mm_cmpgt_pd(z, _mm_set1_pd(0.41421356237309503));
  const __m128d reduced = _mm_div_pd(_mm_sub_pd(z, one), _mm_add_pd(z, one));
  const __m128d w = select(big, reduced, z);
  const __m128d w2 = _mm_mul_pd(w, w);
  __m128d r = _mm_sub_pd(_mm_mul_pd(_mm_set1_pd(8.05374449538e-2), w2), _mm_set1_pd(1.38776856032e-1));
  r = _mm_add_pd(_mm_mul_pd(r, w2), _mm_set1_pd(1.99777106478e-1));
  r = _mm_sub_pd(_mm_mul_pd(r, w2), _mm_set1_pd(3.33329491539e-1));
  r = _mm_add_pd(_mm_mul_pd(_mm_mul_pd(r, w2), w), w);
  r = select(big, _mm_add_pd(r, _mm_set1_pd(kPi / 4)), r);
  r = select(_mm_cmpgt_pd(ay, ax), _mm_sub_pd(_mm_set1_pd(kPi / 2), r), r);
  const __m128d x_negative = _mm_castsi128_pd(_mm_shuffle_epi32(_mm_srai_epi32(_mm_castpd_si128(x), 31), 0xF5));  // signbit
  r = select(x_negative, _mm_sub_pd(_mm_set1_pd(kPi), r), r);
  return _mm_or_pd(_mm_andnot_pd(sign, r), _mm_and_pd(sign, y));  // copysign(r, y)
}

}  // namespace
#endif

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define WDP_PHASE_AVX2 1
namespace {

// Four lanes (AVX2, no FMA: every product is rounded as in the scalar form); blendv on the sign
// bit of x is signbit(x).
#define WDP_SEL(mask, a, b) _mm256_blendv_pd((b), (a), (mask))
__attribute__((target("avx2"))) void fast_atan2_avx2(const double* yp, const double* xp, double* out, std::size_t n) {
  const __m256d sign = _mm256_set1_pd(-0.0), one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
  for (std::size_t i = 0; i + 4 <= n; i += 4) {
    const __m256d y = _mm256_loadu_pd(yp + i), x = _mm256_loadu_pd(xp + i);
    const __m256d ax = _mm256_andnot_pd(sign, x), ay = _mm256_andnot_pd(sign, y);
    const __m256d hi = WDP_SEL(_mm256_cmp_pd(ax, ay, _CMP_LT_OQ), ay, ax), lo = WDP_SEL(_mm256_cmp_pd(ay, ax, _CMP_LT_OQ), ay, ax);
    const __m256d z = _mm256_div_pd(lo, WDP_SEL(_mm256_cmp_pd(hi, zero, _CMP_GT_OQ), hi, one));
    const __m256d big = _mm256_cmp_pd(z, _mm256_set1_pd(0.41421356237309503), _CMP_GT_OQ);
    const __m256d reduced = _mm256_div_pd(_mm256_sub_pd(z, one), _mm256_add_pd(z, one));
    const __m256d w = WDP_SEL(big, reduced, z);
    const __m256d w2 = _mm256_mul_pd(w, w);
    __m256d r = _mm256_sub_pd(_mm256_mul_pd(_mm256_set1_pd(8.05374449538e-2), w2), _mm256_set1_pd(1.38776856032e-1));
    r = _mm256_add_pd(_mm256_mul_pd(r, w2), _mm256_set1_pd(1.99777106478e-1));
    r = _mm256_sub_pd(_mm256_mul_pd(r, w2), _mm256_set1_pd(3.33329491539e-1));
    r = _mm256_add_pd(_mm256_mul_pd(_mm256_mul_pd(r, w2), w), w);
    r = WDP_SEL(big, _mm256_add_pd(r, _mm256_set1_pd(kPi / 4)), r);
    r = WDP_SEL(_mm256_cmp_pd(ay, ax, _CMP_GT_OQ), _mm256_sub_pd(_mm256_set1_pd(kPi / 2), r), r);
    r = _mm256_blendv_pd(r, _mm256_sub_pd(_mm256_set1_pd(kPi), r), x);
    _mm256_storeu_pd(out + i, _mm256_or_pd(_mm256_andnot_pd(sign, r), _mm256_and_pd(sign, y)));
  }
}
#undef WDP_SEL

}  // namespace

bool detail::fast_atan2_avx2 = __builtin_cpu_supports("avx2");
#else
bool detail::fast_atan2_avx2 = false;
#endif

void fast_atan2(std::span<const double> y, std::span<const double> x, std::span<double> out) {
  if (y.size() != x.size() || out.size() != x.size()) throw std::invalid_argument("fast_atan2: sizes differ");
  std::size_t i = 0;
#ifdef WDP_PHASE_AVX2
  if (detail::fast_atan2_avx2) {
    i = x.size() / 4 * 4;
    fast_atan2_avx2(y.data(), x.data(), out.data(), i);
  }
#endif
#ifdef __SSE2__
  for (; i + 2 <= x.size(); i += 2) _mm_storeu_pd(out.data() + i, fast_atan2_v(_mm_loadu_pd(y.data() + i), _mm_loadu_pd(x.data() + i)));
#endif
  for (; i < x.size(); ++i) out[i] = fast_atan2(y[i], x[i]);
}

double detail::wrap_pi_far(double x) {
  // One ±2π step is exact for π < |x| < 2.5π (Sterbenz), so it equals remainder() there; only
  // larger jumps pay for the library call.
  if (std::abs(x) <= kPi) return x <= -kPi ? x + 2 * kPi : x;
  if (x > kPi && x < 2.5 * kPi) return x - 2 * kPi;
  if (x < -kPi && x > -2.5 * kPi) return x + 2 * kPi;
  x = std::remainder(x, 2 * kPi);  // [-π, π]
  return x <= -kPi ? x + 2 * kPi : x;
}

void TemporalUnwrap::push(std::span<const double> raw, std::span<double> out) {
  if (raw.size() != last_raw_.size() || out.size() != raw.size()) {
    throw std::invalid_argument("TemporalUnwrap: channel count changed");
  }
  if (!started_) {
    std::copy(raw.begin(), raw.end(), accumulated_.begin());
  } else {
    for (std::size_t c = 0; c < raw.size(); ++c) accumulated_[c] += wrap_pi(raw[c] - last_raw_[c]);
  }
  std::copy(raw.begin(), raw.end(), last_raw_.begin());
  std::copy(accumulated_.begin(), accumulated_.end(), out.begin());
  started_ = true;
}

}  // namespace wdp::dsp
