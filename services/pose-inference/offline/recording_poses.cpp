#include "recording_poses.h"

#include <map>
#include <stdexcept>

#include "sensing_messages.h"
#include "signal_processor.h"
#include "wdp/bus/topics.h"
#include "wdp/v1/csi_frame.pb.h"
#include "wdp/v1/sensing.pb.h"

namespace wdp::pose {
namespace {

template <class Msg>
bool parse(const recorder::RecordView& r, Msg& m) {
  return m.ParseFromArray(r.payload.data(), static_cast<int>(r.payload.size()));
}

}  // namespace

RecordingInput parse_recording_input(const std::string& s) {
  if (s == "auto") return RecordingInput::automatic;
  if (s == "csi") return RecordingInput::csi;
  if (s == "features") return RecordingInput::features;
  throw std::invalid_argument("recording input must be auto, csi or features, not '" + s + "'");
}

bool has_feature_windows(const recorder::RecordingSource& source) {
  bool found = false;
  source.for_each([&](const recorder::RecordView& r) {
    found = r.topic.starts_with(bus::topics::features);
    return !found;
  });
  return found;
}

RecordingPoseStats run_recording(const recorder::RecordingSource& source, const std::shared_ptr<LoadedModel>& model,
                                 RecordingPoseOptions o, const std::function<void(const StageOutput&)>& on_pose) {
  if (!model) throw std::invalid_argument("run_recording: no model");
  const auto& c = model->backend->contract();
  bool features = o.input == RecordingInput::features;
  if (o.input == RecordingInput::automatic) features = has_feature_windows(source);
  RecordingPoseStats stats{.input = features ? "features" : "csi"};

  PoseStage stage(o.stage);
  std::vector<StageOutput> out;
  auto to_stage = [&](const std::string& node, const v1::FeatureWindow& w) {
    ++stats.windows;
    out.clear();
    if (!stage.on_window(node, w, model, out).empty()) ++stats.windows_unused;
    for (const auto& p : out) on_pose(p);
    stats.poses += out.size();
  };

  // The signal-processor service's per-node pipelines, with the window the model was trained on.
  o.pipeline.feature_frames = c.frames;
  o.pipeline.grid_rate_hz = c.sample_rate_hz;
  o.pipeline.vitals = false;  // feature windows do not depend on the vital-sign estimators
  std::map<std::string, std::unique_ptr<signal::LinkPipeline>> links;
  auto pipeline_for = [&](const std::string& node) -> signal::LinkPipeline& {
    auto& p = links[node];
    if (!p) {
      p = std::make_unique<signal::LinkPipeline>(o.pipeline, [](const signal::SensingResult&) {}, [&, node](const signal::FeatureWindowResult& r) {
        v1::FeatureWindow w;
        signal::to_proto(r, o.pipeline.grid_rate_hz, w);
        w.mutable_origin()->set_node_id(node);
        w.mutable_origin()->set_capture_time_ns(static_cast<std::int64_t>(r.t * 1e9));
        to_stage(node, w);
      });
    }
    return *p;
  };

  v1::CsiFrame frame;
  v1::FeatureWindow window;
  source.for_each([&](const recorder::RecordView& r) {
    ++stats.records;
    if (features && r.topic.starts_with(bus::topics::features)) {
      if (parse(r, window)) to_stage(window.origin().node_id(), window);
      else ++stats.windows_unused;
    } else if (!features && r.topic.starts_with(bus::topics::csi_raw)) {
      ++stats.csi_frames;
      if (!parse(r, frame) || !pipeline_for(frame.node_id()).push(frame, signal::frame_time_s(frame)).empty())
        ++stats.csi_rejected;
    }
    return true;
  });
  if (features ? stats.windows == 0 : stats.csi_frames == 0)
    throw std::runtime_error(source.dir().string() + ": the recording holds no " +
                             (features ? "features.* windows" : "csi.raw.* frames"));
  return stats;
}

}  // namespace wdp::pose
