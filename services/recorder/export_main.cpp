// csi-export: writes a recording as NumPy .npy files (layout in docs/recording-format.md).
//
//   csi-export --session 20250101T120000Z-a1b2c3 --out datasets/walking
//   csi-export --recording run/recordings/sessions/<id> --out /tmp/ds --gt-tolerance 0.05
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "exporter.h"
#include "progress_bar.h"

int main(int argc, char** argv) {
  using namespace wdp::recorder;
  CLI::App app{"csi-export: exports a recording to a NumPy training dataset (docs/recording-format.md)"};
  app.option_defaults()->always_capture_default();
  std::string recording, session, recordings_dir = "run/recordings", out;
  ExportOptions o;
  bool no_progress = false;
  app.add_option("--recording", recording, "Session directory to export");
  app.add_option("--session", session, "Session id under --recordings-dir");
  app.add_option("--recordings-dir", recordings_dir, "Recordings root")->envname("WDP_RECORDINGS_DIR");
  app.add_option("--out", out, "Output directory")->required();
  app.add_option("--gt-tolerance", o.gt_tolerance_s, "Max publish-time distance frame <-> ground truth, s");
  app.add_flag("--no-progress", no_progress, "No progress bar");
  CLI11_PARSE(app, argc, argv);
  try {
    RecordingSource src(RecordingSource::resolve(recording, recordings_dir, session));
    o.out = out;
    const auto total = src.count();
    ProgressBar bar("export", total.records, !no_progress);
    const auto res = export_recording(src, o, [&](std::uint64_t n) { bar.update(n); });
    bar.finish(total.records);
    for (const auto& [node, n] : res.nodes) {
      spdlog::info("node {}: {} frames [{}x{}x{}], {} with ground truth -> {}/nodes/{}", node, n.frames, n.n_rx, n.n_tx,
                   n.n_bins, n.with_gt, out, n.folder);
    }
    spdlog::info("{} ground-truth records; skipped {} (geometry) {} (malformed); {} other records", res.gt_records,
                 res.skipped_geometry, res.skipped_malformed, res.other_records);
    return 0;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
