// csi-ingest: CSI sources -> wdp.v1.CsiFrame on csi.raw.<node>.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "csi_ingest.h"
#include "ingest/scheduling.h"

int main(int argc, char** argv) {
  CLI::App app{"csi-ingest: decodes CSI from sensors and publishes lossless frames on the bus"};
  app.option_defaults()->always_capture_default();
  wdp::ingest::CsiIngestOptions o;
  app.add_option("--udp-address", o.udp.address, "Listen address for ESP32 binary CSI")->envname("WDP_UDP_ADDRESS");
  app.add_option("--udp-port", o.udp.port, "UDP port for ESP32 binary CSI (0 = any free port)")->envname("WDP_UDP_PORT");
  app.add_option("--udp-rcvbuf", o.udp.receive_buffer_bytes, "Kernel receive buffer in bytes")->envname("WDP_UDP_RCVBUF");
  app.add_option("--udp-batch", o.udp.batch, "Datagrams per recvmmsg call")->envname("WDP_UDP_BATCH")->check(CLI::Range(1, 1024));
  app.add_option("--source", o.sources,
                 "Stream source(s) besides UDP: file:PATH | stdin | serial:DEV[@BAUD] | tcp:HOST:PORT")
      ->envname("WDP_SOURCE")->delimiter(',');
  app.add_option("--format", o.format, "Format of the stream sources (auto detects)")->envname("WDP_FORMAT");
  app.add_flag("--realtime", o.realtime, "Pace file sources by their own timestamps")->envname("WDP_REALTIME");
  app.add_option("--wait-subscriber", o.wait_subscriber_s,
                 "Seconds to wait for a csi.raw subscriber before reading stream sources")
      ->envname("WDP_WAIT_SUBSCRIBER")->check(CLI::NonNegativeNumber);
  app.add_flag("!--no-udp", o.listen_udp, "Do not listen for ESP32 UDP")->envname("WDP_UDP");
  app.add_option("--node-prefix", o.node_prefix, "Prefix added to device node ids")->envname("WDP_NODE_PREFIX");
  app.add_option("--allow", o.allow, "Accept UDP only from these IPv4 networks (CIDR, comma-separated); empty = all")
      ->envname("WDP_ALLOW")->delimiter(',');
  app.add_option("--rate-limit", o.pipeline.rate_limit_per_node, "Max frames/s per node (0 = unlimited)")
      ->envname("WDP_RATE_LIMIT")->check(CLI::NonNegativeNumber);
  app.add_option("--rate-burst", o.pipeline.rate_limit_burst, "Burst size of the per-node rate limit")
      ->envname("WDP_RATE_BURST")->check(CLI::PositiveNumber);
  bool batch_scheduling = true;
  app.add_flag("!--no-sched-batch", batch_scheduling,
               "Keep the normal scheduling policy instead of SCHED_BATCH (no wakeup preemption)")
      ->envname("WDP_SCHED_BATCH");
  wdp::runtime::RuntimeOptions rt{.service = "csi-ingest", .admin_port = 9101};
  wdp::runtime::add_runtime_options(app, rt);
  CLI11_PARSE(app, argc, argv);
  if (batch_scheduling) {
    // Before the runtime starts its threads (bus I/O, admin), so that they inherit it.
    if (const auto err = wdp::ingest::use_batch_scheduling(); !err.empty()) {
      std::fprintf(stderr, "csi-ingest: SCHED_BATCH not applied (%s); continuing with the normal policy\n", err.c_str());
    }
  }
  return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) {
    wdp::ingest::CsiIngestService(o, r).run();
  });
}
