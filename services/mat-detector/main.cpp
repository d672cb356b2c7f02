// mat-detector: WiFi-Mat survivor detection, START triage and alerts
#include <CLI/CLI.hpp>

#include "mat_detector.h"

int main(int argc, char** argv) {
  CLI::App app{"mat-detector: WiFi-Mat survivor detection, START triage and alerts"};
  app.option_defaults()->always_capture_default();
  wdp::runtime::RuntimeOptions rt{.service = "mat-detector", .admin_port = 9104};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) { wdp::mat::MatDetectorService(r).run(); });
}
