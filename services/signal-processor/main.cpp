// signal-processor: csi.raw.<node> -> sensing.<node> + features.<node>.
#include <CLI/CLI.hpp>

#include <iostream>

#include "offline.h"
#include "signal_processor.h"

int main(int argc, char** argv) {
  CLI::App app{"signal-processor: turns raw CSI into presence, motion, vitals and feature windows"};
  app.option_defaults()->always_capture_default();
  wdp::signal::SignalProcessorOptions o;
  app.add_option("--nodes", o.nodes, "Node-id prefixes to process (default: all nodes)")
      ->envname("WDP_NODES")->delimiter(',');
  std::string offline, format = "auto";
  app.add_option("--offline", offline, "Process this file (any csi-ingest format) without the bus; JSON lines on stdout");
  app.add_option("--format", format, "Format of the --offline file (auto detects)");
  app.add_option("--grid-rate", o.pipeline.grid_rate_hz, "Uniform processing rate, Hz")->envname("WDP_GRID_RATE");
  app.add_option("--update-rate", o.pipeline.update_rate_hz, "Sensing updates per second of data time")
      ->envname("WDP_UPDATE_RATE");
  wdp::runtime::RuntimeOptions rt{.service = "signal-processor", .admin_port = 9102};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  if (!offline.empty()) return wdp::signal::run_offline(offline, format, o.pipeline, std::cout);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) {
    wdp::signal::SignalProcessorService(o, r).run();
  });
}
