#pragma once
// The simulator's ground truth in a recording (gt.<scene> records, wdp.v1.GroundTruth from
// csi-sim), looked up by data time so that pose-infer can write the truth of the frames it
// predicted. GroundTruth's capture time and the CSI frames' sensor time share csi-sim's clock.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "predictions_io.h"
#include "recording_source.h"
#include "wdp/v1/ground_truth.pb.h"

namespace wdp::pose {

class RecordingTruth {
 public:
  explicit RecordingTruth(const recorder::RecordingSource& source);  // reads the gt.* records
  std::size_t size() const { return truth_.size(); }
  // The record nearest to t (s) if it is at most tolerance_s away.
  const v1::GroundTruth* nearest(double t, double tolerance_s) const;

 private:
  std::vector<std::pair<double, v1::GroundTruth>> truth_;  // by time
};

// The truth frame for a predictions frame: every present person with 17 keypoints, in the
// model's coordinate frame ("body" or "room"; throws std::invalid_argument for others),
// visibility 2.
FrameRecord truth_frame(const v1::GroundTruth& truth, std::uint64_t index, double t,
                        const std::string& coordinate_frame);

}  // namespace wdp::pose
