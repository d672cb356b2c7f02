#include "body_model.h"

#include <cmath>

namespace wdp::sim {

Pose standing_pose(double h) {
  const double s = h / 1.75;  // templates are drawn for a 1.75 m person
  Pose p{};
  p[kNose] = {0.10, 0, 1.62};
  p[kLeftEye] = {0.08, 0.03, 1.66};
  p[kRightEye] = {0.08, -0.03, 1.66};
  p[kLeftEar] = {0.0, 0.08, 1.63};
  p[kRightEar] = {0.0, -0.08, 1.63};
  p[kLeftShoulder] = {0, 0.19, 1.45};
  p[kRightShoulder] = {0, -0.19, 1.45};
  p[kLeftElbow] = {0, 0.21, 1.15};
  p[kRightElbow] = {0, -0.21, 1.15};
  p[kLeftWrist] = {0.05, 0.22, 0.88};
  p[kRightWrist] = {0.05, -0.22, 0.88};
  p[kLeftHip] = {0, 0.10, 0.95};
  p[kRightHip] = {0, -0.10, 0.95};
  p[kLeftKnee] = {0.02, 0.10, 0.52};
  p[kRightKnee] = {0.02, -0.10, 0.52};
  p[kLeftAnkle] = {0, 0.10, 0.08};
  p[kRightAnkle] = {0, -0.10, 0.08};
  for (auto& k : p) k = k * s;
  return p;
}

Pose sitting_pose(double h) {
  Pose p = standing_pose(h);
  const double s = h / 1.75;
  // Upper body drops by the thigh length onto a seat; thighs horizontal, shins vertical.
  const double drop = 0.45 * s;
  for (int k = kNose; k <= kRightHip; ++k) p[k].z -= drop;
  for (int k : {kLeftKnee, kRightKnee}) p[k] = {0.45 * s, p[k].y, 0.52 * s};
  for (int k : {kLeftAnkle, kRightAnkle}) p[k] = {0.45 * s, p[k].y, 0.08 * s};
  for (int k : {kLeftWrist, kRightWrist}) p[k] = {0.30 * s, p[k].y, 0.62 * s};
  for (int k : {kLeftElbow, kRightElbow}) p[k] = {0.05 * s, p[k].y, 0.75 * s};
  return p;
}

Pose lying_pose(double h) {
  // The standing pose tipped forward about the ankles: height becomes forward distance.
  Pose p = standing_pose(h);
  for (auto& k : p) k = {k.z, k.y, 0.12 + 0.5 * k.x};
  return p;
}

Pose place_pose(const Pose& body, double heading, Vec3 floor_xy) {
  const double c = std::cos(heading), s = std::sin(heading);
  Pose out{};
  for (int k = 0; k < kKeypointCount; ++k) {
    const Vec3& b = body[k];
    out[k] = {floor_xy.x + c * b.x - s * b.y, floor_xy.y + s * b.x + c * b.y, floor_xy.z + b.z};
  }
  return out;
}

Pose blend(const Pose& a, const Pose& b, double t) {
  Pose out{};
  for (int k = 0; k < kKeypointCount; ++k) out[k] = lerp(a[k], b[k], t);
  return out;
}

Chest chest_of(const Pose& p, const BodyParams& params) {
  const Vec3 shoulders = (p[kLeftShoulder] + p[kRightShoulder]) * 0.5;
  const Vec3 hips = (p[kLeftHip] + p[kRightHip]) * 0.5;
  const Vec3 centre = lerp(shoulders, hips, 0.3);
  // Facing direction: perpendicular to the shoulder line and the spine, towards the nose side.
  const Vec3 across = p[kLeftShoulder] - p[kRightShoulder];
  const Vec3 spine = shoulders - hips;
  Vec3 n = normalized(Vec3{across.y * spine.z - across.z * spine.y, across.z * spine.x - across.x * spine.z,
                           across.x * spine.y - across.y * spine.x});
  if (dot(n, p[kNose] - shoulders) < 0) n = n * -1.0;
  return {centre + n * params.chest_depth_m, n};
}

void append_body_scatterers(const Pose& p, double chest_displacement_m, const BodyParams& params,
                            std::vector<Scatterer>& out) {
  const Chest chest = chest_of(p, params);
  out.push_back({chest.position + chest.normal * chest_displacement_m, params.chest_reflectivity});
  out.push_back({p[kNose], params.head_reflectivity});
  for (int k = kLeftShoulder; k < kKeypointCount; ++k) out.push_back({p[k], params.joint_reflectivity});
  for (const auto& [a, b] : kLimbs) out.push_back({(p[a] + p[b]) * 0.5, params.limb_reflectivity});
}

}  // namespace wdp::sim
