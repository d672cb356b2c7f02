// bus-forwarder: the XSUB/XPUB meeting point of the bus. Publishers connect to --frontend,
// subscribers to --backend.
#include <CLI/CLI.hpp>

#include "forwarder_service.h"

int main(int argc, char** argv) {
  CLI::App app{"bus-forwarder: forwards every bus message from publishers to subscribers"};
  app.option_defaults()->always_capture_default();
  wdp::forwarder::ForwarderServiceOptions o;
  app.add_option("--frontend", o.frontend, "Where publishers connect (@ binds)")->envname("WDP_FORWARDER_FRONTEND");
  app.add_option("--backend", o.backend, "Where subscribers connect (@ binds)")->envname("WDP_FORWARDER_BACKEND");
  app.add_option("--hwm", o.hwm, "Per-peer queue bound in messages")->envname("WDP_FORWARDER_HWM");
  wdp::runtime::RuntimeOptions rt{.service = "bus-forwarder", .admin_port = 9100};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) {
    wdp::forwarder::run_forwarder(o, r);
  });
}
