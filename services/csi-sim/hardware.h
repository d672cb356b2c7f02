#pragma once
// Receiver impairments applied to a clean channel H, in the order a radio applies them:
//   1. per-packet common phase φ0 (CFO residue) and linear phase slope 2π·k·Δf·τ (STO),
//      shared by all chains, plus a fixed random phase per receive chain (PLL);
//   2. thermal noise: circular complex Gaussian per bin with variance P_ref / 10^(SNR/10), where
//      P_ref is the link's mean bin power when the scene starts (the noise floor does not follow
//      the signal);
//   3. AGC: gain in steps of agc_step_db bringing the RMS to agc_target (recomputed per packet
//      when agc is on, locked to the reference otherwise), plus per-packet gain jitter;
//   4. quantization to the profile's integers with saturation (counted), nulls forced to 0.
// Packet loss and timing jitter are decided here too, from the same per-link generator.
#include <complex>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "radio_profile.h"

namespace wdp::sim {

struct HardwareParams {
  double snr_db = 30.0;          // ≥ 200 = no noise
  bool phase_offsets = true;     // CFO / STO per packet
  double sto_max_ns = 40.0;      // |τ| ≤ this
  bool agc = true;               // false: gain locked at start (espectre-style AGC lock)
  double agc_target = 40.0;      // RMS of the raw integer values after AGC
  double agc_step_db = 0.5;
  double agc_jitter_db = 0.3;    // std of per-packet gain error
  bool quantize = true;          // false: keep doubles (tests of the analog chain)
  double packet_loss = 0.0;      // probability a packet is lost
  double jitter_ms = 0.5;        // std of the sample-time error
  double tx_power_dbm = 20.0;    // for RSSI
};

struct Packet {
  bool lost = false;
  std::vector<std::complex<double>> value;  // after phase, noise and gain, before rounding
  std::vector<std::int32_t> samples;        // interleaved (re, im), [rx][tx][bin]
  double gain_db = 0;
  std::uint32_t saturated = 0;              // values clipped this packet
  int rssi_dbm = 0;
  int noise_floor_dbm = 0;
};

class Hardware {
 public:
  Hardware(HardwareParams params, const RadioProfile& profile, std::uint64_t seed);

  // Fixes the noise power and the locked AGC gain from a clean measurement of the static scene.
  void set_reference(std::span<const std::complex<double>> clean);
  // Time error to add to the nominal sample instant (s).
  double draw_jitter_s();
  // clean: [rx][tx][bin] channel values. Fills `out` (buffers reused).
  void apply(std::span<const std::complex<double>> clean, Packet& out);

  double noise_variance() const { return noise_var_; }  // per bin, in channel units
  std::uint64_t saturated_total() const { return saturated_total_; }

 private:
  double mean_power(std::span<const std::complex<double>> h) const;

  HardwareParams params_;
  const RadioProfile& profile_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  std::vector<double> chain_phase_;
  double ref_power_ = 0;
  double noise_var_ = 0;
  std::uint64_t saturated_total_ = 0;
};

}  // namespace wdp::sim
