#pragma once
// The bus-forwarder process: runs bus::Forwarder (XSUB frontend <- publishers, XPUB backend ->
// subscribers) and exports its counters. See docs/architecture.md for the topology.
#include "wdp/bus/forwarder.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::forwarder {

struct ForwarderServiceOptions {
  std::string frontend = "@tcp://127.0.0.1:7100";
  std::string backend = "@tcp://127.0.0.1:7101";
  int hwm = 100'000;
};

void run_forwarder(const ForwarderServiceOptions& options, runtime::ServiceRuntime& rt);

}  // namespace wdp::forwarder
