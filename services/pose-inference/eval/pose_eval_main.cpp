// pose-eval: scores a predictions JSON against a ground-truth JSON (schemas/predictions.schema.json).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "scorer.h"

int main(int argc, char** argv) {
  CLI::App app{"pose-eval: torso-PCK@0.2/0.5, PCKh@0.5, OKS-AP, MPJPE, PA-MPJPE of predictions vs ground truth"};
  std::string pred, truth, out;
  app.add_option("--pred", pred, "Predictions JSON (pose-infer --output)")->required()->check(CLI::ExistingFile);
  app.add_option("--truth", truth, "Ground-truth JSON (pose-infer --truth-output)")->required()->check(CLI::ExistingFile);
  app.add_option("--out", out, "Also write the report JSON here");
  CLI11_PARSE(app, argc, argv);
  try {
    const auto report = wdp::pose::eval::score(wdp::pose::read_predictions(pred), wdp::pose::read_predictions(truth));
    const std::string json = report.to_json();
    std::cout << json << '\n';
    if (!out.empty()) std::ofstream(out) << json << '\n';
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pose-eval: %s\n", e.what());
    return 1;
  }
  return 0;
}
