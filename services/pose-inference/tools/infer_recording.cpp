#include <cstdio>
#include <optional>

#include "infer_options.h"
#include "model_watcher.h"
#include "predictions_io.h"
#include "recording_poses.h"
#include "recording_truth.h"

namespace wdp::pose {

void infer_recording(const InferOptions& o) {
  if (o.precision != "fp32") throw std::runtime_error("--precision int8 is for datasets only (no calibration windows in a recording)");
  const recorder::RecordingSource source(o.input);
  if (source.segments().empty())
    throw std::runtime_error(o.input + ": neither a pose-dataset (X.npy) nor a recording (seg-*.wdpseg)");
  std::optional<RecordingTruth> truth;
  if (!o.truth_output.empty()) {
    truth.emplace(source);
    if (truth->size() == 0) throw std::runtime_error(o.input + ": --truth-output needs gt.* records (csi-sim's ground truth)");
  }
  const auto model = load_model(o.model);  // self-checked against torch, as the service loads it
  const auto& c = model->backend->contract();
  RecordingPoseOptions ro{.input = parse_recording_input(o.from),
                          .stage = {.nodes = o.nodes, .score_threshold = o.threshold}};
  ro.pipeline.feature_hop = o.hop;
  PredictionsFile pred{.kind = "predictions", .model_version = c.model_version, .source = o.input,
                       .coordinate_frame = c.coordinate_frame};
  const auto stats = run_recording(source, model, ro, [&](const StageOutput& s) {
    FrameRecord fr{.index = pred.frames.size(), .t = s.t, .node = s.node, .latency_ms = s.latency_s * 1e3};
    for (const auto& p : s.frame.persons()) {
      PersonRecord r{.track_id = p.track_id(), .score = p.score()};
      for (int j = 0; j < 17 && j < p.keypoints_size(); ++j) {
        const auto& k = p.keypoints(j);
        r.keypoints[static_cast<std::size_t>(j)] = {k.x(), k.y(), k.z(), k.confidence()};
      }
      fr.persons.push_back(r);
    }
    pred.frames.push_back(std::move(fr));
  });
  pred.source += " (" + stats.input + ")";
  write_predictions(o.output, pred);
  if (truth) {
    // Frames without a truth record within half a truth interval of csi-sim's default are left unscored.
    PredictionsFile tf{.kind = "truth", .source = pred.source, .coordinate_frame = c.coordinate_frame};
    for (const auto& f : pred.frames)
      if (const auto* gt = truth->nearest(f.t, 0.05)) tf.frames.push_back(truth_frame(*gt, f.index, f.t, c.coordinate_frame));
    write_predictions(o.truth_output, tf);
    std::fprintf(stderr, "pose-infer: ground truth for %zu of %zu frames -> %s\n", tf.frames.size(), pred.frames.size(),
                 o.truth_output.c_str());
  }
  std::fprintf(stderr,
               "pose-infer: recording %s: %llu records, %llu csi frames (%llu rejected), %llu %s windows "
               "(%llu unused) -> %llu pose frames -> %s, model %s\n",
               o.input.c_str(), static_cast<unsigned long long>(stats.records),
               static_cast<unsigned long long>(stats.csi_frames), static_cast<unsigned long long>(stats.csi_rejected),
               static_cast<unsigned long long>(stats.windows), stats.input.c_str(),
               static_cast<unsigned long long>(stats.windows_unused), static_cast<unsigned long long>(stats.poses),
               o.output.c_str(), c.model_version.c_str());
}

}  // namespace wdp::pose
