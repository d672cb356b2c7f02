// recorder: writes bus traffic to crash-safe segment files
#include <CLI/CLI.hpp>

#include "recorder.h"

int main(int argc, char** argv) {
  CLI::App app{"recorder: writes bus traffic to crash-safe segment files"};
  app.option_defaults()->always_capture_default();
  wdp::runtime::RuntimeOptions rt{.service = "recorder", .admin_port = 9106};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) { wdp::recorder::RecorderService(r).run(); });
}
