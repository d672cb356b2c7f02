#pragma once
// The human body as point scatterers: the 17 COCO keypoints, the midpoints of the limb segments
// and the chest wall, which breathing and heartbeat push along the chest normal.
//
// Poses are built in the body frame (x forward, y to the person's left, z up, feet at z = 0) and
// placed in the room by a heading and a floor position.
#include <array>
#include <vector>

#include "channel_model.h"

namespace wdp::sim {

inline constexpr int kKeypointCount = 17;  // COCO order, see proto/wdp/v1/pose.proto
enum Kp : int {
  kNose, kLeftEye, kRightEye, kLeftEar, kRightEar, kLeftShoulder, kRightShoulder, kLeftElbow,
  kRightElbow, kLeftWrist, kRightWrist, kLeftHip, kRightHip, kLeftKnee, kRightKnee, kLeftAnkle, kRightAnkle,
};
using Pose = std::array<Vec3, kKeypointCount>;

// Body segments whose midpoints scatter (COCO skeleton without the face edges).
inline constexpr std::array<std::array<int, 2>, 12> kLimbs{{
    {kLeftShoulder, kLeftElbow}, {kLeftElbow, kLeftWrist}, {kRightShoulder, kRightElbow},
    {kRightElbow, kRightWrist}, {kLeftHip, kLeftKnee}, {kLeftKnee, kLeftAnkle}, {kRightHip, kRightKnee},
    {kRightKnee, kRightAnkle}, {kLeftShoulder, kRightShoulder}, {kLeftHip, kRightHip},
    {kLeftShoulder, kLeftHip}, {kRightShoulder, kRightHip},
}};

// Amplitude reflectivities: the torso dominates the radar cross-section of a person, limbs and
// the head add weaker, faster-moving returns.
struct BodyParams {
  double chest_reflectivity = 0.5;
  double head_reflectivity = 0.12;     // nose (the other face points are skipped: same spot)
  double joint_reflectivity = 0.06;    // shoulders, elbows, wrists, hips, knees, ankles
  double limb_reflectivity = 0.10;     // segment midpoints
  double chest_depth_m = 0.11;         // chest wall in front of the shoulder-hip plane
};

// Standing, sitting and lying templates in the body frame, for a person `height_m` tall.
Pose standing_pose(double height_m);
Pose sitting_pose(double height_m);
Pose lying_pose(double height_m);

// Rotates a body-frame pose by heading (rad, from +x towards +y) and moves it to `floor_xy`.
Pose place_pose(const Pose& body, double heading_rad, Vec3 floor_xy);
Pose blend(const Pose& a, const Pose& b, double t);

// The chest wall point and its outward normal for a placed pose.
struct Chest {
  Vec3 position;
  Vec3 normal;
};
Chest chest_of(const Pose& pose, const BodyParams& params);

// Appends the body's scatterers; the chest is displaced by `chest_displacement_m` along its normal.
void append_body_scatterers(const Pose& pose, double chest_displacement_m, const BodyParams& params,
                            std::vector<Scatterer>& out);

}  // namespace wdp::sim
