#include "wdp/dsp/hampel.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wdp::dsp {
namespace {

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
    : channels_(channels), p_(p), depth_(2 * p.half_window + 1), ring_(depth_ * channels),
      window_(depth_), deviations_(depth_) {
  if (channels == 0) throw std::invalid_argument("HampelBank: no channels");
  if (p.half_window == 0) throw std::invalid_argument("HampelBank: half_window must be >= 1");
}

void HampelBank::reset() {
  pushed_ = 0;
  emitted_ = 0;
}

void HampelBank::emit(std::size_t center, std::size_t lo, std::size_t hi, std::span<float> out) {
  const std::size_t len = hi - lo + 1;
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
  std::copy(frame.begin(), frame.end(), ring_.begin() + static_cast<std::ptrdiff_t>((pushed_ % depth_) * channels_));
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
