#include "wdp/runtime/runtime_options.h"

#include <CLI/CLI.hpp>

namespace wdp::runtime {

void add_runtime_options(CLI::App& app, RuntimeOptions& o) {
  app.set_config("--config", "", "TOML or INI file with any of these options (keys = long flag names)");
  auto* g = "Runtime (shared by all services)";
  app.add_option("--instance", o.instance, "Replica id in heartbeats and metrics (default host:pid)")
      ->envname("WDP_INSTANCE")->group(g);
  app.add_option("--bus-pub", o.bus_pub, "Publish endpoint: >tcp://h:p connects (forwarder), @tcp://h:p binds")
      ->envname("WDP_BUS_PUB")->group(g);
  app.add_option("--bus-sub", o.bus_sub, "Subscribe endpoint(s): >tcp://h:p connects, @ binds")
      ->envname("WDP_BUS_SUB")->delimiter(',')->group(g);
  app.add_option("--send-hwm", o.send_hwm, "Messages queued per peer before drops are counted")
      ->envname("WDP_SEND_HWM")->check(CLI::PositiveNumber)->group(g);
  app.add_option("--recv-hwm", o.recv_hwm, "Messages queued on receive before ZeroMQ drops")
      ->envname("WDP_RECV_HWM")->check(CLI::PositiveNumber)->group(g);
  app.add_option("--admin-address", o.admin_address, "Address of the admin HTTP port (/healthz, /metrics)")
      ->envname("WDP_ADMIN_ADDRESS")->group(g);
  app.add_option("--admin-port", o.admin_port, "Admin HTTP port; 0 picks a free one")
      ->envname("WDP_ADMIN_PORT")->group(g);
  app.add_option("--log-level", o.log_level, "trace|debug|info|warn|error|critical|off")
      ->envname("WDP_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))->group(g);
  app.add_option("--log-format", o.log_format, "json (one object per line) or text")
      ->envname("WDP_LOG_FORMAT")->check(CLI::IsMember({"json", "text"}))->group(g);
  app.add_option("--heartbeat-interval", o.heartbeat_interval_s, "Seconds between heartbeats on hb.<service>")
      ->envname("WDP_HEARTBEAT_INTERVAL")->check(CLI::Range(0.05, 60.0))->group(g);
}

}  // namespace wdp::runtime
