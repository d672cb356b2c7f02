#include "survivor_motion.h"

#include <cmath>
#include <random>

#include "geometry.h"

namespace wdp::sim {

SurvivorMotion::SurvivorMotion(Pose rest, v1::MovementClass kind, std::uint64_t seed) : rest_(rest), kind_(kind) {
  std::mt19937_64 rng(seed);
  offset_s_ = std::uniform_real_distribution<double>(0.0, kCycleS)(rng);
}

Pose SurvivorMotion::at(double t) const {
  Pose p = rest_;
  const double c = std::fmod(t + offset_s_, kCycleS);  // position in the 20 s cycle
  switch (kind_) {
    case v1::MOVEMENT_CLASS_TREMOR: {
      const double dz = kTremorAmplitudeM * std::sin(2 * kPi * kTremorHz * t);
      for (int k : {kLeftWrist, kRightWrist}) p[k].z += dz;
      for (int k : {kLeftElbow, kRightElbow}) p[k].z += 0.5 * dz;
      break;
    }
    case v1::MOVEMENT_CLASS_PERIODIC:
      if (c < kTapOnS) p[kRightWrist].z += kTapAmplitudeM * (1 - std::cos(2 * kPi * kTapHz * c));
      break;
    case v1::MOVEMENT_CLASS_VOLUNTARY:
      if (c < 2 * kRaiseS) {
        // Raised-cosine up over kRaiseS, back down over the next kRaiseS.
        const double lift = 0.5 * (1 - std::cos(kPi * c / kRaiseS));
        p[kRightWrist].z += kRaiseWristM * lift;
        p[kRightElbow].z += kRaiseElbowM * lift;
      }
      break;
    default: break;
  }
  return p;
}

}  // namespace wdp::sim
