#pragma once
// pose-infer over a recorder recording: the records are read in file order and turned into pose
// frames exactly as the live services would. csi.raw.<node> frames go through signal-processor's
// LinkPipeline (one per node, on the frames' own timestamps, windows as it publishes them), and
// features.<node> windows - when the recording holds them - are used directly; either way the
// windows reach the live service's PoseStage (join across nodes, normalize, infer, track).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "link_pipeline.h"
#include "pose_stage.h"
#include "recording_source.h"

namespace wdp::pose {

enum class RecordingInput { automatic, csi, features };  // automatic: features when recorded, else csi

struct RecordingPoseOptions {
  RecordingInput input = RecordingInput::automatic;
  StageOptions stage;
  // For csi input; run_recording() sets feature_frames and grid_rate_hz from the model contract.
  signal::PipelineParams pipeline;
};

struct RecordingPoseStats {
  std::string input;                   // "csi" or "features"
  std::uint64_t records = 0;           // records read
  std::uint64_t csi_frames = 0;        // frames given to the signal pipeline
  std::uint64_t csi_rejected = 0;      // frames the pipeline could not use, or that do not parse
  std::uint64_t windows = 0;           // per-node feature windows given to the pose stage
  std::uint64_t windows_unused = 0;    // windows the stage did not use (shape, node, no partner yet)
  std::uint64_t poses = 0;             // pose frames produced
};

// Parses --from: "auto", "csi" or "features"; throws std::invalid_argument otherwise.
RecordingInput parse_recording_input(const std::string& s);

// Whether the recording holds features.* records (reads until the first one).
bool has_feature_windows(const recorder::RecordingSource& source);

// Calls on_pose for every pose frame, in data-time order. Throws std::runtime_error when the
// recording holds nothing of the chosen input.
RecordingPoseStats run_recording(const recorder::RecordingSource& source, const std::shared_ptr<LoadedModel>& model,
                                 RecordingPoseOptions options, const std::function<void(const StageOutput&)>& on_pose);

}  // namespace wdp::pose
