// signal-processor: csi.raw.<node> -> sensing.<node> + features.<node>.
#include <CLI/CLI.hpp>

#include "signal_processor.h"

int main(int argc, char** argv) {
  CLI::App app{"signal-processor: turns raw CSI into presence, motion, vitals and feature windows"};
  app.option_defaults()->always_capture_default();
  wdp::signal::SignalProcessorOptions o;
  app.add_option("--nodes", o.nodes, "Node-id prefixes to process (default: all nodes)")
      ->envname("WDP_NODES")->delimiter(',');
  wdp::runtime::RuntimeOptions rt{.service = "signal-processor", .admin_port = 9102};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) {
    wdp::signal::SignalProcessorService(o, r).run();
  });
}
