#include "wdp/runtime/input_meter.h"

namespace wdp::runtime {

void InputMeter::watch(bus::Subscriber& subscriber, std::string_view prefix) {
  subscriber.on_raw(prefix, [this](std::span<const std::byte>, const bus::Delivery& d) { count(d.topic); });
}

void InputMeter::count(std::string_view topic) {
  auto it = counters_.find(std::string(topic));
  if (it == counters_.end()) {
    auto& c = rt_.metrics().counter("wdp_bus_topic_messages_total", "Messages received per topic",
                                    {{"service", rt_.options().service}, {"topic", std::string(topic)}});
    it = counters_.emplace(std::string(topic), &c).first;
  }
  it->second->inc();
}

}  // namespace wdp::runtime
