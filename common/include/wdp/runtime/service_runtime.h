#pragma once
// What every service process has: a ZeroMQ context, one publisher, subscribers on demand, the
// metrics registry, the admin HTTP port and the heartbeat. A service's main builds one of these,
// hands it to the service library, and calls tick() from its loop.
//
//   int main(int argc, char** argv) {
//     CLI::App app{"..."};  MyOptions o;  add_my_options(app, o);
//     wdp::runtime::RuntimeOptions rt{.service = "my-service", .admin_port = 9109};
//     wdp::runtime::add_runtime_options(app, rt);
//     CLI11_PARSE(app, argc, argv);
//     return wdp::runtime::run_service(app, rt, [&](wdp::runtime::ServiceRuntime& r) { My(o, r).run(); });
//   }
//
// Threading: the admin server runs on its own thread and reads only atomics and the metrics
// registry. Everything else belongs to the thread that calls tick().
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "wdp/admin/admin_server.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/metrics/registry.h"
#include "wdp/runtime/runtime_options.h"
#include "wdp/v1/heartbeat.pb.h"

namespace CLI {
class App;
}

namespace wdp::runtime {

class ServiceRuntime {
 public:
  // Starts logging is the caller's job (run_service does it). Binds the admin port and connects
  // the publisher; throws with a clear message if either fails.
  ServiceRuntime(RuntimeOptions options, std::string effective_config);
  ~ServiceRuntime();

  zmq::context_t& context() { return context_; }
  bus::Publisher& publisher() { return *publisher_; }
  // A new subscriber on the configured endpoints; its counters join /metrics and heartbeats.
  // The runtime keeps it alive; the reference stays valid for the runtime's lifetime.
  bus::Subscriber& add_subscriber();
  metrics::Registry& metrics() { return metrics_; }
  const RuntimeOptions& options() const { return options_; }
  std::uint16_t admin_port() const;

  // READY: doing its job. DEGRADED: running but cannot fully do it (reason says why).
  void set_state(v1::ServiceState state, std::string reason = {});
  // Call from the main loop at least every 100 ms: sends due heartbeats, proves liveness.
  void tick();
  // True once SIGTERM/SIGINT arrived.
  bool stopping() const;
  // Fills an Origin for a message this service publishes.
  void fill_origin(v1::Origin& origin, std::string_view node_id, std::int64_t capture_time_ns) const;

  // Publishes the STOPPING heartbeat and shuts the admin port. Idempotent.
  void shutdown();

 private:
  void publish_heartbeat();
  std::vector<admin::Route> admin_routes();

  RuntimeOptions options_;
  std::string effective_config_;
  zmq::context_t context_{1};
  std::unique_ptr<bus::Publisher> publisher_;
  std::vector<std::unique_ptr<bus::Subscriber>> subscribers_;
  metrics::Registry metrics_;
  std::unique_ptr<admin::AdminServer> admin_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point next_heartbeat_ = started_;
  std::atomic<std::int64_t> last_tick_mono_ns_{0};
  std::atomic<int> state_{v1::SERVICE_STATE_STARTING};
  mutable std::mutex reason_mutex_;
  std::string reason_;
  std::string heartbeat_topic_;
  bool shut_down_ = false;
};

// Parses nothing: `app` must already be parsed. Sets up logging and signals, builds the runtime,
// runs `body`, and returns the process exit code (0 after a clean stop, 1 after an error, which
// is logged).
int run_service(CLI::App& app, RuntimeOptions& options, const std::function<void(ServiceRuntime&)>& body);

}  // namespace wdp::runtime
