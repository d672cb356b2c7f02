#pragma once
// Scripted movement of a buried survivor, so that WiFi-Mat's movement classes (and with them the
// START categories that depend on responsiveness) can be exercised end to end:
//   none       the lying pose as is;
//   tremor     both forearms shake 2 mm peak-to-peak at 3.5 Hz (involuntary);
//   periodic   the right hand taps 3 cm up and down at 1.2 Hz for 7.5 s of every 20 s;
//   voluntary  the right arm is raised (wrist 25 cm, elbow 12 cm) over 1.5 s and lowered again,
//              once every 20 s.
// Displacements are vertical in the room frame (the survivor lies on its back). Each survivor's
// schedule starts at a seed-derived offset so two survivors never move in lockstep.
#include <cstdint>

#include "body_model.h"
#include "wdp/v1/mat.pb.h"

namespace wdp::sim {

class SurvivorMotion {
 public:
  SurvivorMotion(Pose rest, v1::MovementClass kind, std::uint64_t seed);
  // The placed pose at time t (s).
  Pose at(double t_s) const;

  static constexpr double kTremorHz = 3.5, kTremorAmplitudeM = 1e-3;
  static constexpr double kTapHz = 1.2, kTapAmplitudeM = 0.015, kTapOnS = 7.5;  // 9 whole taps
  static constexpr double kRaiseWristM = 0.25, kRaiseElbowM = 0.12, kRaiseS = 1.5;
  static constexpr double kCycleS = 20;

 private:
  Pose rest_;
  v1::MovementClass kind_;
  double offset_s_;  // where in its cycle the survivor is at t = 0
};

}  // namespace wdp::sim
