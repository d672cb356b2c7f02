#pragma once
// The topic map of the bus: every topic a service publishes or subscribes to is built here.
// Subscribers filter by prefix, so a prefix ending in '.' selects one family, and a full topic
// (family + node id) selects one sensor node. docs/architecture.md shows the same map.
#include <string>
#include <string_view>

namespace wdp::bus::topics {

// Raw CSI frames (wdp.v1.CsiFrame) from csi-ingest or the simulator: "csi.raw.<node>".
inline constexpr std::string_view csi_raw = "csi.raw.";
// Sensing updates (wdp.v1.SensingUpdate) from signal-processor: "sensing.<node>".
inline constexpr std::string_view sensing = "sensing.";
// Feature windows (wdp.v1.FeatureWindow) for pose inference: "features.<node>".
inline constexpr std::string_view features = "features.";
// Pose frames (wdp.v1.PoseFrame) from pose-inference: "pose.<node>".
inline constexpr std::string_view pose = "pose.";
// WiFi-Mat domain events (wdp.v1.MatEvent) from mat-detector: "mat.<kind>".
inline constexpr std::string_view mat = "mat.";
// Heartbeats (wdp.v1.Heartbeat) from every process: "hb.<service>".
inline constexpr std::string_view heartbeat = "hb.";
// Simulator ground truth (wdp.v1.GroundTruth): "gt.<scene>".
inline constexpr std::string_view ground_truth = "gt.";
// Recorder commands (wdp.v1.RecorderCommand) and its status replies (wdp.v1.RecordingStatus).
inline constexpr std::string_view recorder_control = "ctl.recorder";
inline constexpr std::string_view recorder_status = "evt.recorder";
// WiFi-Mat operator commands (wdp.v1.MatCommand) from the gateway, and their results
// (wdp.v1.MatCommandResult) from mat-detector.
inline constexpr std::string_view mat_control = "ctl.mat";
inline constexpr std::string_view mat_result = "evt.mat";

// Joins a family prefix and a suffix (node id, service name, kind).
inline std::string make(std::string_view family, std::string_view suffix) {
  std::string t;
  t.reserve(family.size() + suffix.size());
  t.append(family);
  t.append(suffix);
  return t;
}

}  // namespace wdp::bus::topics
