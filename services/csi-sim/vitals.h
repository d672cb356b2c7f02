#pragma once
// Chest-wall displacement from breathing (mm, 0.1–0.5 Hz) and heartbeat (sub-mm, 0.8–2 Hz).
//
// Irregularity modulates the breathing rate by a slow random process ε(t) (a few seeded sinusoids
// at 0.01–0.05 Hz), integrated in closed form, so the displacement is a pure function of time:
// any sample time can be evaluated, in any order, and the same seed gives the same waveform.
#include <array>
#include <cstdint>

namespace wdp::sim {

struct VitalsParams {
  double breathing_bpm = 15.0;       // 0 = not breathing
  double breathing_depth_mm = 5.0;   // peak-to-peak chest displacement
  double irregularity = 0.05;        // std of the relative breathing-rate modulation (0 = regular)
  double heart_bpm = 70.0;           // 0 = no heartbeat modelled
  double heart_depth_mm = 0.3;       // peak-to-peak
  // Scripted patterns (WiFi-Mat triage scenarios):
  double rate_change_bpm_per_min = 0;  // linear drift of the breathing rate (deterioration < 0)
  double stop_s = 0;                   // breathing and heartbeat fade out over 2 s from here (0 = never)
};

class VitalsModel {
 public:
  VitalsModel(VitalsParams params, std::uint64_t seed);
  // Chest displacement (m) along the chest normal at time t, ≥ 0 (0 = fully exhaled).
  double displacement_m(double t_s) const;
  double breathing_m(double t_s) const;
  double heart_m(double t_s) const;
  const VitalsParams& params() const { return params_; }
  // 1 until stop_s, then a linear fade to 0 over 2 s (no step: a step would look like movement).
  double envelope(double t_s) const;

 private:
  static constexpr int kModes = 3;
  VitalsParams params_;
  std::array<double, kModes> amp_{}, freq_{}, phase_{};
  double breath_phase0_ = 0, heart_phase0_ = 0;
};

}  // namespace wdp::sim
