#include "hardware.h"

#include <algorithm>
#include <cmath>

#include "geometry.h"

namespace wdp::sim {

Hardware::Hardware(HardwareParams params, const RadioProfile& profile, std::uint64_t seed)
    : params_(params), profile_(profile), rng_(seed) {
  chain_phase_.resize(profile_.n_rx);
  for (auto& p : chain_phase_) p = params_.phase_offsets ? 2 * kPi * uniform_(rng_) : 0.0;
}

double Hardware::mean_power(std::span<const std::complex<double>> h) const {
  const std::size_t n_bins = profile_.n_bins();
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    if (profile_.is_null(i % n_bins)) continue;
    sum += std::norm(h[i]);
    ++n;
  }
  return n ? sum / static_cast<double>(n) : 0.0;
}

void Hardware::set_reference(std::span<const std::complex<double>> clean) {
  ref_power_ = mean_power(clean);
  noise_var_ = params_.snr_db >= 200 ? 0.0 : ref_power_ / std::pow(10.0, params_.snr_db / 10.0);
}

double Hardware::draw_jitter_s() { return params_.jitter_ms > 0 ? 1e-3 * params_.jitter_ms * normal_(rng_) : 0.0; }

void Hardware::apply(std::span<const std::complex<double>> clean, Packet& out) {
  // Every draw happens whether or not the packet is lost, so loss does not shift later noise.
  out.lost = params_.packet_loss > 0 && uniform_(rng_) < params_.packet_loss;
  const std::size_t n_bins = profile_.n_bins();
  double phi0 = 0, tau = 0;
  if (params_.phase_offsets) {
    phi0 = 2 * kPi * uniform_(rng_);
    tau = params_.sto_max_ns * 1e-9 * (2 * uniform_(rng_) - 1);
  }
  const double sigma = std::sqrt(noise_var_ / 2);
  out.value.resize(clean.size());
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const std::size_t bin = i % n_bins;
    const std::size_t rx = i / (n_bins * profile_.n_tx);
    const double phase = phi0 + chain_phase_[rx] + 2 * kPi * profile_.index[bin] * profile_.spacing_hz * tau;
    std::complex<double> v = clean[i] * std::polar(1.0, phase);
    if (sigma > 0) v += std::complex<double>(sigma * normal_(rng_), sigma * normal_(rng_));
    out.value[i] = v;
  }

  const double measured = mean_power(out.value);
  const double signal_power = params_.agc ? measured : ref_power_ + noise_var_;
  double gain_db = signal_power > 0 ? 20 * std::log10(params_.agc_target / std::sqrt(signal_power)) : 0.0;
  if (params_.agc_step_db > 0) gain_db = params_.agc_step_db * std::round(gain_db / params_.agc_step_db);
  if (params_.agc && params_.agc_jitter_db > 0) gain_db += params_.agc_jitter_db * normal_(rng_);
  out.gain_db = gain_db;
  const double gain = std::pow(10.0, gain_db / 20);

  const double lo = -std::ldexp(1.0, profile_.sample_bits - 1), hi = -lo - 1;
  out.saturated = 0;
  out.samples.resize(params_.quantize ? 2 * clean.size() : 0);
  for (std::size_t i = 0; i < clean.size(); ++i) {
    if (profile_.is_null(i % n_bins)) {
      out.value[i] = 0;  // ESP32 reports guards and DC as exact zeros
    } else {
      out.value[i] *= gain;
    }
    if (!params_.quantize) continue;
    const double parts[2] = {out.value[i].real(), out.value[i].imag()};
    for (int c = 0; c < 2; ++c) {
      double q = std::round(parts[c]);
      if (q < lo || q > hi) {
        q = std::clamp(q, lo, hi);
        ++out.saturated;
      }
      out.samples[2 * i + c] = static_cast<std::int32_t>(q);
    }
  }
  saturated_total_ += out.saturated;
  const auto to_dbm = [&](double p) {
    return p > 0 ? static_cast<int>(std::clamp(std::round(params_.tx_power_dbm + 10 * std::log10(p)), -127.0, 0.0)) : -127;
  };
  out.rssi_dbm = to_dbm(measured);
  out.noise_floor_dbm = noise_var_ > 0 ? to_dbm(noise_var_) : -127;
}

}  // namespace wdp::sim
