// mat-detector: WiFi-Mat survivor detection, START triage, localization and alerts
#include <CLI/CLI.hpp>

#include "mat_detector.h"

int main(int argc, char** argv) {
  CLI::App app{"mat-detector: WiFi-Mat survivor detection, START triage, localization and alerts"};
  app.option_defaults()->always_capture_default();
  wdp::mat::MatOptions o;
  app.add_option("--site", o.site_file, "Site JSON: link geometry, debris, default events and zones")
      ->envname("WDP_MAT_SITE")
      ->check(CLI::ExistingFile);
  app.add_option("--state-dir", o.state_dir, "Keep the WiFi-Mat state here across restarts (empty: memory only)")
      ->envname("WDP_MAT_STATE_DIR");
  app.add_option("--window", o.window_s, "Analysis window (s)")->envname("WDP_MAT_WINDOW")->check(CLI::Range(10.0, 120.0));
  app.add_option("--hop", o.hop_s, "Scan cycle per zone (s)")->envname("WDP_MAT_HOP")->check(CLI::Range(1.0, 60.0));
  app.add_option("--stream-rate", o.stream_rate_hz, "Resampled CSI rate (Hz)")->envname("WDP_MAT_STREAM_RATE")->check(CLI::Range(5.0, 50.0));
  app.add_option("--breathing-confidence", o.breathing_min_confidence, "Breathing confidence for an observation")
      ->envname("WDP_MAT_BREATHING_CONFIDENCE")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--escalation", o.escalation_s, "Seconds before an unacknowledged alert escalates")
      ->envname("WDP_MAT_ESCALATION")
      ->check(CLI::PositiveNumber);
  app.add_option("--radius-scale", o.radius_scale, "Calibration factor of the uncertainty radius")
      ->envname("WDP_MAT_RADIUS_SCALE")
      ->check(CLI::PositiveNumber);
  wdp::runtime::RuntimeOptions rt{.service = "mat-detector", .admin_port = 9104};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) { wdp::mat::MatDetectorService(o, r).run(); });
}
