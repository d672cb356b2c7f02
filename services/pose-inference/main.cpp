// pose-inference: feature windows -> 17-keypoint poses per person
#include <CLI/CLI.hpp>

#include "pose_inference.h"

int main(int argc, char** argv) {
  CLI::App app{"pose-inference: feature windows -> 17-keypoint poses per person (ONNX model, OpenCV DNN)"};
  app.option_defaults()->always_capture_default();
  wdp::pose::PoseServiceOptions o;
  app.add_option("--model", o.model, "ONNX pose model with the wdp.contract metadata (hot-reloaded when the file changes)")
      ->envname("WDP_POSE_MODEL");
  app.add_option("--nodes", o.nodes, "Node ids in model input order (default: the first L nodes seen, sorted)")
      ->delimiter(',');
  app.add_option("--score-threshold", o.score_threshold, "Person score needed to publish a person")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--reload-poll-ms", o.reload_poll_ms, "How often the model file is checked for changes")
      ->check(CLI::Range(50, 3600000));
  app.add_option("--threads", o.threads, "OpenCV inference threads: 1 = one core per window, 0 = OpenCV's default (all cores)")
      ->envname("WDP_POSE_THREADS")->check(CLI::Range(0, 64));
  app.add_option("--track-gate-m", o.tracker.gate_m, "Largest mean joint distance to continue a track");
  app.add_option("--track-smoothing", o.tracker.smoothing, "Weight of a new detection in the track (1 = none)")
      ->check(CLI::Range(0.01, 1.0));
  wdp::runtime::RuntimeOptions rt{.service = "pose-inference", .admin_port = 9103};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) { wdp::pose::PoseInferenceService(o, r).run(); });
}
