#include "wdp/runtime/service_runtime.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <regex>

#include "wdp/admin/admin_server.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/topics.h"
#include "wdp/runtime/logging.h"
#include "wdp/runtime/shutdown.h"

namespace wdp::runtime {
namespace {

constexpr auto kStalledAfter = std::chrono::seconds(5);  // /healthz fails if the loop stops ticking

std::string default_instance() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

std::string mask_secrets(const std::string& config) {
  static const std::regex secret(R"(^(\s*[^=\n]*(key|secret|token|password)[^=\n]*=\s*).*$)",
                                 std::regex::icase | std::regex::multiline);
  return std::regex_replace(config, secret, "$1\"***\"");
}

const char* state_name(int s) {
  return v1::ServiceState_Name(static_cast<v1::ServiceState>(s)).c_str();
}

}  // namespace

ServiceRuntime::ServiceRuntime(RuntimeOptions options, std::string effective_config)
    : options_(std::move(options)), effective_config_(mask_secrets(effective_config)) {
  if (options_.instance.empty()) options_.instance = default_instance();
  heartbeat_topic_ = bus::topics::make(bus::topics::heartbeat, options_.service);
  publisher_ = std::make_unique<bus::Publisher>(context_, bus::PublisherOptions{options_.bus_pub, options_.send_hwm});

  const metrics::Labels svc{{"service", options_.service}};
  const auto& ps = publisher_->stats();
  metrics_.counter_fn("wdp_bus_published_total", "Messages published on the bus", svc,
                      [&ps] { return double(ps.sent.load()); });
  metrics_.counter_fn("wdp_bus_dropped_total", "Messages dropped at a full send queue (high-water mark)", svc,
                      [&ps] { return double(ps.dropped.load()); });
  metrics_.counter_fn("wdp_bus_published_bytes_total", "Payload bytes published", svc,
                      [&ps] { return double(ps.bytes.load()); });
  metrics_.gauge_fn("wdp_uptime_seconds", "Seconds since the process started", svc, [this] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  });
  metrics_.gauge_fn("wdp_service_ready", "1 when the service reports READY", svc,
                    [this] { return state_.load() == v1::SERVICE_STATE_READY ? 1.0 : 0.0; });

  last_tick_mono_ns_ = bus::mono_ns();
  admin_ = std::make_unique<admin::AdminServer>(options_.admin_address, options_.admin_port, admin_routes());
  spdlog::info("started instance={} admin=http://{}:{} bus_pub={} bus_sub={}", options_.instance,
               options_.admin_address, admin_->port(), publisher_->endpoint(),
               fmt::join(options_.bus_sub, ","));
}

ServiceRuntime::~ServiceRuntime() { shutdown(); }

std::uint16_t ServiceRuntime::admin_port() const { return admin_->port(); }

bus::Subscriber& ServiceRuntime::add_subscriber() {
  subscribers_.push_back(std::make_unique<bus::Subscriber>(
      context_, bus::SubscriberOptions{options_.bus_sub, options_.recv_hwm}));
  const auto& s = subscribers_.back()->stats();
  const metrics::Labels l{{"service", options_.service}, {"subscriber", std::to_string(subscribers_.size() - 1)}};
  metrics_.counter_fn("wdp_bus_received_total", "Messages received from the bus", l, [&s] { return double(s.received.load()); });
  metrics_.counter_fn("wdp_bus_lost_total", "Messages missing from a publisher's sequence", l, [&s] { return double(s.lost.load()); });
  metrics_.counter_fn("wdp_bus_duplicates_total", "Repeated or reordered messages", l, [&s] { return double(s.duplicates.load()); });
  metrics_.counter_fn("wdp_bus_malformed_total", "Messages with bad framing or payload", l, [&s] { return double(s.malformed.load()); });
  return *subscribers_.back();
}

void ServiceRuntime::set_state(v1::ServiceState state, std::string reason) {
  const int old = state_.exchange(state);
  std::string old_reason;
  {
    std::lock_guard lock(reason_mutex_);
    old_reason = std::exchange(reason_, std::move(reason));
  }
  if (old != state) {
    std::lock_guard lock(reason_mutex_);
    spdlog::info("state {} -> {}{}{}", state_name(old), state_name(state), reason_.empty() ? "" : " reason=", reason_);
  }
}

bool ServiceRuntime::stopping() const { return stop_requested(); }

void ServiceRuntime::fill_origin(v1::Origin& origin, std::string_view node_id, std::int64_t capture_time_ns) const {
  origin.set_service(options_.service);
  origin.set_instance(options_.instance);
  origin.set_node_id(std::string(node_id));
  origin.set_capture_time_ns(capture_time_ns);
  origin.set_publish_time_ns(bus::wall_ns());
}

void ServiceRuntime::tick() {
  last_tick_mono_ns_.store(bus::mono_ns(), std::memory_order_relaxed);
  const auto now = std::chrono::steady_clock::now();
  if (now < next_heartbeat_) return;
  next_heartbeat_ = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(options_.heartbeat_interval_s));
  publish_heartbeat();
}

void ServiceRuntime::publish_heartbeat() {
  v1::Heartbeat hb;
  fill_origin(*hb.mutable_origin(), {}, bus::wall_ns());
  hb.set_state(static_cast<v1::ServiceState>(state_.load()));
  {
    std::lock_guard lock(reason_mutex_);
    hb.set_reason(reason_);
  }
  hb.set_version(WDP_VERSION);
  hb.set_uptime_s(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  hb.set_admin_url("http://" + options_.admin_address + ":" + std::to_string(admin_->port()));
  std::uint64_t in = 0, lost = 0;
  for (const auto& s : subscribers_) {
    in += s->stats().received.load();
    lost += s->stats().lost.load();
  }
  hb.set_messages_in(in);
  hb.set_messages_lost(lost);
  hb.set_messages_out(publisher_->stats().sent.load());
  hb.set_messages_dropped(publisher_->stats().dropped.load());
  publisher_->publish(heartbeat_topic_, hb);
}

std::vector<admin::Route> ServiceRuntime::admin_routes() {
  auto status_json = [this] {
    std::lock_guard lock(reason_mutex_);
    const double since_tick = double(bus::mono_ns() - last_tick_mono_ns_.load()) / 1e9;
    return nlohmann::json{{"service", options_.service},
                          {"instance", options_.instance},
                          {"state", state_name(state_.load())},
                          {"reason", reason_},
                          {"version", WDP_VERSION},
                          {"seconds_since_loop_tick", since_tick},
                          {"uptime_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count()}};
  };
  return {
      {"/healthz", "GET", "Liveness: 200 while the main loop is running, 503 if it stalled or is stopping",
       [this, status_json](const admin::Request&) {
         auto j = status_json();
         const bool alive = j["seconds_since_loop_tick"].get<double>() <
                                std::chrono::duration<double>(kStalledAfter).count() &&
                            state_.load() != v1::SERVICE_STATE_STOPPING;
         j["status"] = alive ? "ok" : "unhealthy";
         return admin::Response{alive ? 200 : 503, "application/json", j.dump() + "\n"};
       }},
      {"/readyz", "GET", "Readiness: 200 only when the service reports READY",
       [this, status_json](const admin::Request&) {
         auto j = status_json();
         const bool ready = state_.load() == v1::SERVICE_STATE_READY;
         j["status"] = ready ? "ready" : "not ready";
         return admin::Response{ready ? 200 : 503, "application/json", j.dump() + "\n"};
       }},
      {"/metrics", "GET", "Prometheus metrics (text format 0.0.4)",
       [this](const admin::Request&) {
         return admin::Response{200, "text/plain; version=0.0.4", metrics_.render()};
       }},
      {"/config", "GET", "Effective configuration (TOML), secrets masked",
       [this](const admin::Request&) { return admin::Response{200, "text/plain", effective_config_}; }},
      {"/loglevel", "POST", "Set the log level: POST /loglevel?level=debug",
       [](const admin::Request& req) {
         const auto it = req.query.find("level");
         if (it == req.query.end()) {
           return admin::Response{400, "application/json", R"({"error":"missing ?level="})" "\n"};
         }
         set_log_level(it->second);
         spdlog::warn("log level set to {}", it->second);
         return admin::Response{200, "application/json", nlohmann::json{{"level", it->second}}.dump() + "\n"};
       }},
  };
}

void ServiceRuntime::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  set_state(v1::SERVICE_STATE_STOPPING);
  publish_heartbeat();
  // Give queued messages (the STOPPING heartbeat, a file source's last frames) a moment to leave;
  // bounded so SIGTERM still ends the process within a second.
  publisher_->set_linger(std::chrono::milliseconds(300));
  admin_->stop();
  spdlog::info("stopped");
}

int run_service(CLI::App& app, RuntimeOptions& options, const std::function<void(ServiceRuntime&)>& body) {
  try {
    init_logging(options.service, options.log_level, options.log_format);
    install_shutdown_handlers();
    ServiceRuntime runtime(options, app.config_to_str(true, false));
    body(runtime);
    runtime.shutdown();
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}

}  // namespace wdp::runtime
