#pragma once
// Room-frame COCO-17 keypoints -> the person's body frame (the model's output frame,
// docs/model-contract.md): origin on the floor below the mid-hip, x forward, y to the person's
// left, z up, metres. The heading comes from the hips themselves (left_hip - right_hip points
// to the left), so any ground truth with keypoints can be converted, not only the simulator's.
#include <array>

namespace wdp::pose {

using Keypoints3 = std::array<std::array<float, 3>, 17>;

// Heading (rad, from +x towards +y) of the body's forward axis, from the hip line.
double body_heading(const Keypoints3& room);
Keypoints3 to_body_frame(const Keypoints3& room);

}  // namespace wdp::pose
