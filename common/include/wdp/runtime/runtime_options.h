#pragma once
// Options every service shares. Each can come from a flag, an environment variable (named in
// --help) or a TOML/INI file given with --config; flags win over env, env over the file.
#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace wdp::runtime {

struct RuntimeOptions {
  std::string service;                               // set by main, not a flag
  std::string instance;                              // replica id; default host:pid
  std::string bus_pub = ">tcp://127.0.0.1:7100";     // forwarder frontend (or @ to bind)
  std::vector<std::string> bus_sub = {">tcp://127.0.0.1:7101"};  // forwarder backend
  int send_hwm = 100'000;
  int recv_hwm = 100'000;
  std::string admin_address = "127.0.0.1";
  std::uint16_t admin_port = 0;                      // per-service default set by main
  std::string log_level = "info";
  std::string log_format = "json";
  double heartbeat_interval_s = 1.0;
};

// Adds the shared flags to `app` with `defaults` shown in --help, plus --config FILE.
void add_runtime_options(CLI::App& app, RuntimeOptions& options);

}  // namespace wdp::runtime
