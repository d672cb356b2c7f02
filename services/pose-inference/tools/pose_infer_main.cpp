// pose-infer: runs a pose model over a pose-dataset directory or a recorder recording and writes
// predictions JSON (schemas/predictions.schema.json).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "infer_options.h"
#include "opencv_backend.h"

int main(int argc, char** argv) {
  wdp::pose::InferOptions o;
  CLI::App app{"pose-infer: pose model over a dataset or a recording -> predictions JSON"};
  app.option_defaults()->always_capture_default();
  app.add_option("--model", o.model, "ONNX model with the wdp.contract metadata")->required()->check(CLI::ExistingFile);
  app.add_option("--input", o.input,
                 "pose-dataset directory (X.npy, Y.npy, ...) or recording session directory (seg-*.wdpseg)")
      ->required()->check(CLI::ExistingDirectory);
  app.add_option("--output", o.output, "Predictions JSON to write")->required();
  app.add_option("--threshold", o.threshold, "Person score needed to report a person")->check(CLI::Range(0.0, 1.0));
  app.add_option("--threads", o.threads, "OpenCV inference threads: 1 = one core, 0 = OpenCV's default (all cores)")
      ->check(CLI::Range(0, 64));
  app.add_option("--truth-output", o.truth_output,
                 "Also write the ground truth of the same frames (JSON; recordings: from their gt.* records)");
  auto* ds = app.add_option_group("dataset input");
  ds->add_option("--split", o.split, "all, train, val, test_room or test_subject");
  ds->add_option("--batch", o.batch, "Windows per inference call")->check(CLI::Range(1, 4096));
  ds->add_option("--precision", o.precision, "fp32, or int8 (OpenCV Net::quantize, calibrated on train windows)")
      ->check(CLI::IsMember({"fp32", "int8"}));
  ds->add_option("--calibration", o.calibration, "int8: train-split windows used for calibration")
      ->check(CLI::Range(1, 100000));
  ds->add_flag("--track", o.track, "Smooth with the service's tracker (frames in dataset order)");
  auto* rec = app.add_option_group("recording input (always tracked, as the service does)");
  rec->add_option("--from", o.from, "auto (features.* windows when recorded, else csi.raw.* frames), csi or features")
      ->check(CLI::IsMember({"auto", "csi", "features"}));
  rec->add_option("--nodes", o.nodes, "Node ids in model input order (default: the first L nodes seen, sorted)")
      ->delimiter(',');
  rec->add_option("--hop", o.hop, "csi input: grid samples between feature windows (signal-processor's default)")
      ->check(CLI::Range(1, 1000));
  CLI11_PARSE(app, argc, argv);
  try {
    wdp::pose::set_inference_threads(o.threads);
    if (std::filesystem::exists(std::filesystem::path(o.input) / "X.npy")) wdp::pose::infer_dataset(o);
    else wdp::pose::infer_recording(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pose-infer: %s\n", e.what());
    return 1;
  }
  return 0;
}
