#pragma once
// Exact k-th smallest value of a small array, faster than std::nth_element on the 56-bin vectors
// of the per-frame chain: quickselect whose partition step has no data-dependent branch (the
// compare feeds an index increment), so random data costs no mispredictions. Returns the same
// value as std::nth_element(k) would place at k (order statistics are unique as values); the
// array is reordered. NaN input falls back to std::nth_element.
#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>

namespace wdp::dsp {

inline double select_nth(std::span<double> a, std::size_t k) {
  if (k >= a.size()) throw std::invalid_argument("select_nth: k out of range");
  double* v = a.data();
  std::size_t lo = 0, hi = a.size();  // k lies in [lo, hi)
  while (hi - lo > 12) {
    const double x = v[lo], y = v[lo + (hi - lo) / 2], z = v[hi - 1];
    const double pivot = std::max(std::min(x, y), std::min(std::max(x, y), z));  // median of 3
    // Lomuto without branches: values < pivot gather at the front.
    std::size_t i = lo;
    for (std::size_t j = lo; j < hi; ++j) {
      const double t = v[j];
      v[j] = v[i];
      v[i] = t;
      i += t < pivot;
    }
    if (k < i) {
      hi = i;  // the pivot itself is not in [lo, i): progress
    } else if (i > lo) {
      lo = i;
    } else {  // nothing below the pivot (it is the minimum): split off the values equal to it
      for (std::size_t j = lo; j < hi; ++j) {
        const double t = v[j];
        v[j] = v[i];
        v[i] = t;
        i += t <= pivot;
      }
      if (i == lo) {  // NaN pivot: no order to rely on
        std::nth_element(v + lo, v + k, v + hi);
        return v[k];
      }
      if (k < i) return pivot;
      lo = i;
    }
  }
  std::sort(v + lo, v + hi);  // a dozen values: insertion sort
  return v[k];
}

}  // namespace wdp::dsp
