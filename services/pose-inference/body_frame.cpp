#include "body_frame.h"

#include <cmath>

namespace wdp::pose {
namespace {
constexpr int kLeftHip = 11, kRightHip = 12;
constexpr double kHalfPi = 1.5707963267948966;
}  // namespace

double body_heading(const Keypoints3& k) {
  const double dx = k[kLeftHip][0] - k[kRightHip][0];
  const double dy = k[kLeftHip][1] - k[kRightHip][1];
  return std::atan2(dy, dx) - kHalfPi;  // left = forward rotated +90°
}

Keypoints3 to_body_frame(const Keypoints3& k) {
  const double h = body_heading(k);
  const double c = std::cos(h), s = std::sin(h);
  const double ox = 0.5 * (k[kLeftHip][0] + k[kRightHip][0]);
  const double oy = 0.5 * (k[kLeftHip][1] + k[kRightHip][1]);
  Keypoints3 out{};
  for (std::size_t j = 0; j < k.size(); ++j) {
    const double x = k[j][0] - ox, y = k[j][1] - oy;
    out[j] = {static_cast<float>(c * x + s * y), static_cast<float>(-s * x + c * y), k[j][2]};
  }
  return out;
}

}  // namespace wdp::pose
