#pragma once
// pose-inference: features.<node> windows -> pose.<node> frames (17 COCO keypoints per person)
// with an ONNX model through the OpenCV DNN backend. Without a loadable model it reports
// DEGRADED (so /readyz answers 503) and publishes nothing: it never invents poses.
#include <chrono>
#include <string>
#include <vector>

#include "pose_stage.h"
#include "wdp/runtime/input_meter.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::pose {

struct PoseServiceOptions {
  std::string model;                           // ONNX file; empty = none (DEGRADED)
  std::vector<std::string> nodes;              // model input order (empty: first L seen, sorted)
  double score_threshold = 0.5;
  int reload_poll_ms = 1000;                   // hot-reload check period
  int threads = 1;                             // OpenCV inference threads (0 = OpenCV's default)
  TrackerParams tracker;
};

class PoseInferenceService {
 public:
  PoseInferenceService(PoseServiceOptions options, runtime::ServiceRuntime& runtime);
  void run();

 private:
  PoseServiceOptions o_;
  runtime::ServiceRuntime& rt_;
  runtime::InputMeter meter_;
  metrics::Counter& frames_;
  metrics::Counter& persons_;
  metrics::Counter& reloads_;
  metrics::Counter& reload_failures_;
  metrics::Histogram& latency_;
  metrics::Gauge& ready_;
};

}  // namespace wdp::pose
