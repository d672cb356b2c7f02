#pragma once
// Pose metrics (../shared/docs/pose-and-metrics.md section 5), COCO-17 keypoints in metres:
//   torso-PCK@a  L = |g_6 - g_11| (right_shoulder - left_hip), micro-averaged over labelled joints
//   PCKh@a       L = head-size proxy: 0.6 x the diagonal of the bounding box of the five face
//                keypoints (0-4), mirroring MPII's 0.6 x head-rectangle diagonal (COCO-17 has no head box)
//   OKS          exp(-d^2 / (2 s^2 k^2)), k = 2 sigma (COCO), s^2 = product of the two largest sides
//                of the labelled GT keypoints' bounding box (declared area for keypoint-only GT)
//   OKS-AP       COCO: thresholds 0.50:0.05:0.95, score-sorted greedy matching per frame,
//                101-point interpolated precision
//   MPJPE        mean |p - g| (no root alignment); PA-MPJPE after similarity Procrustes (no reflection)
#include <array>
#include <cstddef>
#include <vector>

namespace wdp::pose::eval {

inline constexpr int kJoints = 17;
inline constexpr std::array<double, kJoints> kCocoSigmas{0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072,
                                                        0.062, 0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089};

struct Joint {
  double x = 0, y = 0, z = 0;
  bool labelled = true;   // GT: visibility > 0; predictions: always true
};
using Skeleton = std::array<Joint, kJoints>;

double distance(const Joint& a, const Joint& b);
double torso_length(const Skeleton& gt);
double head_size(const Skeleton& gt);
double oks_area(const Skeleton& gt);
double oks(const Skeleton& pred, const Skeleton& gt);

// Counts for a PCK: correct joints and labelled joints of one (pred, gt) pair.
struct PckCount {
  std::size_t correct = 0, total = 0;
  double rate() const { return total ? static_cast<double>(correct) / static_cast<double>(total) : 0.0; }
  PckCount& operator+=(const PckCount& o) { correct += o.correct; total += o.total; return *this; }
};
PckCount pck(const Skeleton& pred, const Skeleton& gt, double alpha, double normaliser);

double mpjpe(const Skeleton& pred, const Skeleton& gt);      // mean over labelled joints
double pa_mpjpe(const Skeleton& pred, const Skeleton& gt);   // same, after Procrustes alignment

struct ScoredPose {
  Skeleton pose;
  double score = 0;
};
struct EvalFrame {
  std::vector<Skeleton> truth;
  std::vector<ScoredPose> predictions;
};
// COCO OKS-AP at one threshold, and averaged over 0.50:0.05:0.95.
double oks_ap_at(const std::vector<EvalFrame>& frames, double threshold);
double oks_ap(const std::vector<EvalFrame>& frames);

}  // namespace wdp::pose::eval
