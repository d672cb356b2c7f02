#include "forwarder_service.h"

#include <spdlog/spdlog.h>

namespace wdp::forwarder {

void run_forwarder(const ForwarderServiceOptions& o, runtime::ServiceRuntime& rt) {
  bus::Forwarder fwd(rt.context(), {o.frontend, o.backend, o.hwm});
  const auto& s = fwd.stats();
  const metrics::Labels l{{"service", "bus-forwarder"}};
  rt.metrics().counter_fn("wdp_forwarder_messages_total", "Messages forwarded to subscribers", l,
                          [&s] { return double(s.messages.load()); });
  rt.metrics().counter_fn("wdp_forwarder_bytes_total", "Bytes forwarded to subscribers", l,
                          [&s] { return double(s.bytes.load()); });
  rt.metrics().counter_fn("wdp_forwarder_subscription_notices_total",
                          "Subscribe/unsubscribe notices passed to publishers", l,
                          [&s] { return double(s.subscriptions.load()); });
  spdlog::info("forwarding frontend={} backend={}", fwd.frontend_endpoint(), fwd.backend_endpoint());
  rt.set_state(v1::SERVICE_STATE_READY);
  while (!rt.stopping()) {
    fwd.run_once(std::chrono::milliseconds(100));
    rt.tick();
  }
}

}  // namespace wdp::forwarder
