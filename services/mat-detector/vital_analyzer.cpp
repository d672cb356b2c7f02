#include "vital_analyzer.h"

#include <algorithm>
#include <cmath>

#include "local_movement.h"

namespace wdp::mat {
namespace {

constexpr double kTwoPi = 6.283185307179586;

std::size_t pow2_at_least(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

// Removes mean and linear trend in place.
void detrend(std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += i, sy += x[i], sxx += double(i) * i, sxy += i * x[i];
  }
  const double den = n * sxx - sx * sx;
  const double b = den != 0 ? (n * sxy - sx * sy) / den : 0;
  const double a = (sy - b * sx) / n;
  for (std::size_t i = 0; i < x.size(); ++i) x[i] -= a + b * i;
}

// Tones at +f and −f of a Hann-windowed complex series (re, im), as sinusoid amplitudes.
std::pair<std::complex<double>, std::complex<double>> tones(const std::vector<double>& re, const std::vector<double>& im,
                                                            const std::vector<double>& w, double f, double rate) {
  std::complex<double> pos = 0, neg = 0;
  double sw = 0;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const std::complex<double> z(re[i] * w[i], im[i] * w[i]);
    const auto e = std::polar(1.0, -kTwoPi * f * i / rate);
    pos += z * e;
    neg += z * std::conj(e);
    sw += w[i];
  }
  return {pos / sw, neg / sw};
}

// Mean power at ±f of Hann-windowed complex series (re, im), as a sinusoid amplitude².
double tone_power(const std::vector<double>& re, const std::vector<double>& im, const std::vector<double>& w, double f,
                  double rate) {
  const auto [pos, neg] = tones(re, im, w, f, rate);
  return std::norm(pos) + std::norm(neg);
}

}  // namespace

VitalAnalyzer::VitalAnalyzer(AnalyzerParams p)
    : p_(p),
      n_(static_cast<std::size_t>(std::lround(p.window_s * p.rate_hz))),
      breathing_({.sample_rate_hz = p.rate_hz, .band_lo_hz = p.breathing_lo_hz, .band_hi_hz = p.breathing_hi_hz,
                  .fft_size = pow2_at_least(4 * n_), .top_channels = 12}),
      heart_({.sample_rate_hz = p.rate_hz, .band_lo_hz = p.heart_lo_hz, .band_hi_hz = p.heart_hi_hz,
              .fft_size = pow2_at_least(4 * n_), .top_channels = 12, .harmonic_ratio = 2.0}),
      tremor_({.sample_rate_hz = p.rate_hz, .band_lo_hz = 2.5, .band_hi_hz = std::min(4.5, 0.45 * p.rate_hz),
               .fft_size = pow2_at_least(2 * n_), .top_channels = 12, .harmonic_ratio = 2.0}),
      periodic_({.sample_rate_hz = p.rate_hz, .band_lo_hz = 0.6, .band_hi_hz = 2.5, .fft_size = pow2_at_least(2 * n_),
                 .top_channels = 12, .harmonic_ratio = 2.0}) {}

ZoneEvidence VitalAnalyzer::analyze(std::span<const LinkStream* const> streams, std::span<const int> site_links,
                                    std::int64_t end_ns) {
  ZoneEvidence ev;
  ev.end_ns = end_ns;
  const std::int64_t period_ns = static_cast<std::int64_t>(1e9 / p_.rate_hz);
  const std::int64_t start_ns = end_ns - static_cast<std::int64_t>(n_) * period_ns;
  // Per link: its window as (re, im) per group; links without enough real samples are skipped.
  std::vector<std::vector<double>> chans;
  std::vector<std::size_t> link_of_chan;
  std::vector<int> used_links;
  std::vector<const LinkStream*> used_streams;
  std::vector<double> bursts;
  for (std::size_t l = 0; l < streams.size(); ++l) {
    const auto& s = streams[l]->samples();
    auto it = std::lower_bound(s.begin(), s.end(), start_ns, [](const LinkSample& a, std::int64_t t) { return a.time_ns < t; });
    std::vector<const LinkSample*> win;
    for (; it != s.end() && it->time_ns < end_ns; ++it) win.push_back(&*it);
    if (win.size() + 2 < n_) continue;
    win.resize(std::min(win.size(), n_));
    std::size_t real = 0;
    for (auto* x : win) real += !x->gap;
    if (real < p_.min_coverage * n_) continue;
    const std::size_t G = streams[l]->groups();
    for (std::size_t g = 0; g < G; ++g) {
      std::vector<double> re(win.size()), im(win.size());
      for (std::size_t i = 0; i < win.size(); ++i) re[i] = win[i]->groups[g].real(), im[i] = win[i]->groups[g].imag();
      detrend(re);
      detrend(im);
      chans.push_back(std::move(re));
      link_of_chan.push_back(used_links.size());
      chans.push_back(std::move(im));
      link_of_chan.push_back(used_links.size());
    }
    // Movement bursts: energy of first differences per 1 s block.
    const std::size_t block = std::max<std::size_t>(1, static_cast<std::size_t>(p_.rate_hz));
    std::vector<double> e;
    for (std::size_t b = 1; b + block <= win.size(); b += block) {
      double sum = 0;
      for (std::size_t i = b; i < b + block; ++i) {
        for (std::size_t g = 0; g < G; ++g) sum += std::norm(std::complex<double>(win[i]->groups[g]) - std::complex<double>(win[i - 1]->groups[g]));
      }
      e.push_back(sum);
    }
    if (e.size() >= 3) {
      auto sorted = e;
      std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
      const double med = sorted[sorted.size() / 2];
      if (med > 0) bursts.push_back(*std::max_element(e.begin(), e.end()) / med);
    }
    used_links.push_back(site_links[l]);
    used_streams.push_back(streams[l]);
  }
  ev.links_used = used_links.size();
  if (used_links.empty()) return ev;
  ev.usable = true;
  const std::size_t len = chans.front().size();
  for (auto& c : chans) c.resize(len);
  std::vector<std::span<const double>> views(chans.begin(), chans.end());
  ev.breathing = breathing_.estimate(views);
  if (ev.breathing.confidence > 0) {
    const double f = ev.breathing.frequency_hz;
    const double excl[] = {2 * f, 3 * f, 4 * f, 5 * f};
    ev.heart = heart_.estimate(views, excl);
  } else {
    ev.heart = heart_.estimate(views);
  }
  ev.burst_ratio = bursts.empty() ? 0 : *std::max_element(bursts.begin(), bursts.end());
  if (ev.breathing.confidence > 0) {
    ev.local_burst_ratio = local_burst_ratio(chans, ev.breathing.frequency_hz, p_.rate_hz,
                                             {.block = static_cast<std::size_t>(std::max(1.0, p_.rate_hz))});
  }
  if (ev.burst_ratio >= p_.burst_ratio_voluntary) {
    ev.movement = v1::MOVEMENT_CLASS_VOLUNTARY;
    ev.gross_movement = true;
  } else if (ev.local_burst_ratio >= p_.local_burst_ratio_voluntary) {
    ev.movement = v1::MOVEMENT_CLASS_VOLUNTARY;
  } else if (tremor_.estimate(views).confidence >= p_.tremor_confidence) {
    ev.movement = v1::MOVEMENT_CLASS_TREMOR;
  } else if (periodic_.estimate(views).confidence >= p_.periodic_confidence && ev.heart.confidence < p_.periodic_confidence) {
    ev.movement = v1::MOVEMENT_CLASS_PERIODIC;
  }
  // Per-link breathing modulation and noise amplitudes.
  if (ev.breathing.confidence > 0) {
    const auto w = [&] {
      std::vector<double> h(len);
      for (std::size_t i = 0; i < len; ++i) h[i] = 0.5 * (1 - std::cos(kTwoPi * i / (len - 1)));
      return h;
    }();
    const double nyq = 0.5 * p_.rate_hz;
    std::vector<double> noise_f;
    for (double f = 2.5; f <= std::min(4.5, 0.95 * nyq); f += 0.25) noise_f.push_back(f);
    for (std::size_t u = 0; u < used_links.size(); ++u) {
      double sig = 0, noise = 0;
      std::size_t groups = 0;
      std::vector<std::complex<double>> tp, tn;
      for (std::size_t c = 0; c + 1 < chans.size(); c += 2) {
        if (link_of_chan[c] != u) continue;
        const auto [a, b] = tones(chans[c], chans[c + 1], w, ev.breathing.frequency_hz, p_.rate_hz);
        tp.push_back(a), tn.push_back(b);
        sig += std::norm(a) + std::norm(b);
        double n = 0;
        for (double f : noise_f) n += tone_power(chans[c], chans[c + 1], w, f, p_.rate_hz);
        noise += noise_f.empty() ? 0 : n / noise_f.size();
        ++groups;
      }
      if (!groups) continue;
      sig /= groups, noise /= groups;
      const auto* st = used_streams[u];
      std::vector<std::complex<double>> cov(groups * groups);
      for (std::size_t i = 0; i < groups; ++i) {
        for (std::size_t j = 0; j < groups; ++j) cov[i * groups + j] = tp[i] * std::conj(tp[j]) + tn[i] * std::conj(tn[j]);
      }
      ev.links.push_back({used_links[u], std::sqrt(std::max(sig - noise, 0.0)), std::sqrt(noise), sig, groups,
                          std::move(cov), observability_table(st->reference(), st->indices(), st->params().group_bins)});
    }
  }
  return ev;
}

}  // namespace wdp::mat
