#include "wdp/dsp/periodicity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "wdp/dsp/phase.h"
#include "wdp/dsp/spectrum.h"

namespace wdp::dsp {
namespace {

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

}  // namespace

PeriodicityEstimator::PeriodicityEstimator(PeriodicityParams p) : p_(p), fft_(p.fft_size) {
  if (!(p.sample_rate_hz > 0) || !(p.band_hi_hz > p.band_lo_hz) || p.band_lo_hz <= 0) {
    throw std::invalid_argument("PeriodicityEstimator: need 0 < band_lo < band_hi and a positive rate");
  }
  if (p.band_hi_hz >= p.sample_rate_hz / 2) {
    throw std::invalid_argument("PeriodicityEstimator: band above Nyquist (" + std::to_string(p.sample_rate_hz / 2) + " Hz)");
  }
  const double bin_hz = p.sample_rate_hz / double(p.fft_size);
  lo_bin_ = static_cast<std::size_t>(std::ceil(p.band_lo_hz / bin_hz));
  hi_bin_ = static_cast<std::size_t>(std::floor(p.band_hi_hz / bin_hz));
}

void PeriodicityEstimator::channel_spectrum(std::span<const double> x, std::vector<double>& power) {
  const std::size_t n = x.size();
  if (window_cache_.size() != n) window_cache_ = make_window(Window::hann, n);
  // Least-squares line over sample index, removed so drift does not leak into the band.
  const double mean_i = (double(n) - 1) / 2;
  double mean_x = 0;
  for (double v : x) mean_x += v;
  mean_x /= double(n);
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (double(i) - mean_i) * (x[i] - mean_x);
    sxx += (double(i) - mean_i) * (double(i) - mean_i);
  }
  const double slope = sxx > 0 ? sxy / sxx : 0;
  auto in = fft_.input();
  for (std::size_t i = 0; i < n; ++i) in[i] = (x[i] - mean_x - slope * (double(i) - mean_i)) * window_cache_[i];
  std::fill(in.begin() + static_cast<std::ptrdiff_t>(n), in.end(), 0.0);
  fft_.execute();
  const auto X = fft_.output();
  power.resize(X.size());
  for (std::size_t k = 0; k < X.size(); ++k) power[k] = std::norm(X[k]);
}

PeriodicityEstimate PeriodicityEstimator::estimate(std::span<const std::span<const double>> channels,
                                                   std::span<const double> exclude_hz) {
  PeriodicityEstimate est;
  if (channels.empty()) return est;
  const std::size_t n = channels[0].size();
  if (n < 8 || n > p_.fft_size) throw std::invalid_argument("PeriodicityEstimator: window must be 8..fft_size samples");
  const double bin_hz = p_.sample_rate_hz / double(p_.fft_size);
  // Resolution of the real window; exclusions and harmonic checks use it, not the padded bins.
  const double resolution_hz = p_.sample_rate_hz / double(n);
  std::vector<bool> masked(hi_bin_ + 2, false);
  for (double f : exclude_hz) {
    for (std::size_t k = lo_bin_; k <= hi_bin_; ++k) {
      // A Hann main lobe is ±2 resolution bins wide.
      if (std::abs(double(k) * bin_hz - f) <= p_.exclude_halfwidth_bins * resolution_hz) masked[k] = true;
    }
  }

  const bool all = p_.top_channels == 0;
  // Adds one channel's spectrum, normalised by its in-band power, to the combination.
  combined_.assign(hi_bin_ + 2, 0.0);
  auto add = [&](const std::vector<double>& s) {
    double total = 0;
    for (std::size_t k = lo_bin_; k <= hi_bin_; ++k) total += s[k];
    if (total <= 0) return;
    for (std::size_t k = lo_bin_ ? lo_bin_ - 1 : 0; k <= hi_bin_ + 1 && k < s.size(); ++k) combined_[k] += s[k] / total;
  };
  std::size_t use = channels.size();
  if (all) {  // no ranking: each spectrum is added as it is computed, none is kept
    for (const auto& ch : channels) {
      if (ch.size() != n) throw std::invalid_argument("PeriodicityEstimator: channels differ in length");
      channel_spectrum(ch, power_);
      add(power_);
    }
  } else {
    spectra_.resize(channels.size());
    scores_.assign(channels.size(), 0.0);
    for (std::size_t c = 0; c < channels.size(); ++c) {
      if (channels[c].size() != n) throw std::invalid_argument("PeriodicityEstimator: channels differ in length");
      channel_spectrum(channels[c], spectra_[c]);
      std::vector<double> band;
      double peak = 0;
      for (std::size_t k = lo_bin_; k <= hi_bin_; ++k) {
        if (masked[k]) continue;
        band.push_back(spectra_[c][k]);
        peak = std::max(peak, spectra_[c][k]);
      }
      const double med = median_of(band);
      scores_[c] = med > 0 ? peak / med : 0;
    }
    std::vector<std::size_t> order(channels.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return scores_[a] > scores_[b]; });
    use = std::min(p_.top_channels, order.size());
    for (std::size_t u = 0; u < use; ++u) add(spectra_[order[u]]);
  }
  for (std::size_t k = 0; k < combined_.size(); ++k) {
    if (k < masked.size() && masked[k]) combined_[k] = 0;
  }
  std::vector<double> band;
  for (std::size_t k = lo_bin_; k <= hi_bin_; ++k) {
    if (!masked[k]) band.push_back(combined_[k]);
  }
  const double med = median_of(band);
  const Peak peak = parabolic_peak(combined_, lo_bin_, hi_bin_);
  if (med <= 0 || peak.value <= 0) return est;
  // All channels: heights above the (large, flat) noise floor; top-k: raw heights.
  const double base = all ? med : 0.0;
  double f = peak.bin * bin_hz;
  double height = peak.value - base;
  // Harmonic check: a sub-harmonic in band with comparable power is the fundamental.
  for (int div : {3, 2}) {
    const double fs = f / div;
    if (fs < p_.band_lo_hz) continue;
    const auto k = static_cast<std::size_t>(std::lround(fs / bin_hz));
    const auto span = static_cast<std::size_t>(std::ceil(resolution_hz / bin_hz / 2));
    const Peak sub = parabolic_peak(combined_, k > span ? k - span : 0, k + span);
    if (sub.value - base >= p_.harmonic_ratio * height && sub.bin * bin_hz >= p_.band_lo_hz) {
      f = sub.bin * bin_hz;
      height = sub.value - base;
      break;
    }
  }
  est.frequency_hz = f;
  est.rate_per_min = 60 * f;
  est.prominence = (height + base) / med;
  for (double& v : band) v = std::abs(v - med);
  const double spread = 1.4826 * median_of(band);
  est.significance = spread > 0 ? (height + base - med) / spread : 0;
  if (all) {
    est.confidence = est.significance > 3 ? 1 - std::exp(-(est.significance - 3) / 3) : 0;
  } else {
    est.confidence = est.prominence > 1 ? 1 - std::exp(-(est.prominence - 1) / 4) : 0;
  }
  est.channels_used = use;
  return est;
}

}  // namespace wdp::dsp
