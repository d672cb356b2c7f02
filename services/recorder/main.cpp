// recorder: writes bus traffic to crash-safe segment files with a SQLite index.
#include <CLI/CLI.hpp>

#include "recorder.h"

int main(int argc, char** argv) {
  CLI::App app{"recorder: writes bus traffic to crash-safe segment files (docs/recording-format.md)"};
  app.option_defaults()->always_capture_default();
  wdp::recorder::RecorderOptions o;
  auto& s = o.store;
  std::string dir = "run/recordings";
  app.add_option("--recordings-dir", dir, "Where sessions and index.sqlite live")->envname("WDP_RECORDINGS_DIR");
  app.add_option("--segment-max-bytes", s.segment_max_bytes, "Rotate a segment at this size")
      ->envname("WDP_SEGMENT_MAX_BYTES");
  app.add_option("--segment-max-seconds", s.segment_max_seconds, "Rotate a segment after this many seconds")
      ->envname("WDP_SEGMENT_MAX_SECONDS");
  app.add_option("--retention-max-age", s.retention_max_age_s, "Delete closed segments older than this (s, 0 = keep)")
      ->envname("WDP_RETENTION_MAX_AGE");
  app.add_option("--retention-max-bytes", s.retention_max_bytes, "Delete oldest segments above this total (0 = no limit)")
      ->envname("WDP_RETENTION_MAX_BYTES");
  app.add_option("--retention-keep-named", s.retention_keep_named, "Prune only unnamed rolling sessions")
      ->envname("WDP_RETENTION_KEEP_NAMED");
  app.add_option("--fsync-interval", s.fsync_interval_s, "Seconds between fdatasync calls (0 = every batch)")
      ->envname("WDP_FSYNC_INTERVAL");
  app.add_option("--always-on", o.always_on, "Record csi.raw.* into a rolling session when no named one runs")
      ->envname("WDP_RECORDER_ALWAYS_ON");
  app.add_option("--queue-max-records", o.queue_max_records, "Writer queue bound; beyond it records are dropped")
      ->envname("WDP_RECORDER_QUEUE_MAX");
  wdp::runtime::RuntimeOptions rt{.service = "recorder", .admin_port = 9106};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  s.dir = dir;
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) {
    wdp::recorder::RecorderService(o, r).run();
  });
}
