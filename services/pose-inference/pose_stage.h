#pragma once
// The bus-free core of pose-inference: per-node feature windows in, pose frames out. Windows of
// the model's L nodes are joined by end time (window_aligner.h) into one model input - the batch
// across nodes - normalized per the contract, run through the backend, thresholded by person
// score and tracked (pose_tracker.h). Without a model nothing is produced: poses are never invented.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model_watcher.h"
#include "pose_tracker.h"
#include "wdp/v1/pose.pb.h"
#include "wdp/v1/sensing.pb.h"
#include "window_aligner.h"

namespace wdp::pose {

struct StageOptions {
  std::vector<std::string> nodes;  // model input order; empty: the first L nodes seen, sorted
  double score_threshold = 0.5;
  TrackerParams tracker;
};

struct StageOutput {
  std::string node;                // the group's first node: the frame goes to pose.<node>
  double t = 0;                    // window end, s
  v1::PoseFrame frame;             // origin left for the caller
  double latency_s = 0;            // normalize + infer + track
};

class PoseStage {
 public:
  explicit PoseStage(StageOptions o) : o_(std::move(o)) {}
  // Returns the reason a window was not used (empty when it was), and appends any frame produced.
  std::string on_window(const std::string& node, const v1::FeatureWindow& w, const std::shared_ptr<LoadedModel>& model,
                        std::vector<StageOutput>& out);
  const std::vector<std::string>& nodes() const { return order_; }

 private:
  void reset_for(const LoadedModel& m);

  StageOptions o_;
  const LoadedModel* model_seen_ = nullptr;
  std::vector<std::string> order_;
  std::vector<std::string> seen_;
  std::unique_ptr<WindowAligner> aligner_;
  PoseTracker tracker_;
  std::vector<float> input_;
  std::vector<RawPoses> raw_;
};

}  // namespace wdp::pose
