// pose-inference: feature windows -> 17-keypoint poses per person
#include <CLI/CLI.hpp>

#include "pose_inference.h"

int main(int argc, char** argv) {
  CLI::App app{"pose-inference: feature windows -> 17-keypoint poses per person"};
  app.option_defaults()->always_capture_default();
  wdp::runtime::RuntimeOptions rt{.service = "pose-inference", .admin_port = 9103};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) { wdp::pose::PoseInferenceService(r).run(); });
}
