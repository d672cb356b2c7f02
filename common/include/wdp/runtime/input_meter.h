#pragma once
// Counts bus messages per topic for a service that consumes a topic family, and exposes the
// counts as wdp_bus_topic_messages_total{service,topic}. Used where a service must prove what it
// receives (and, until its processing exists, is all it does with the input).
#include <string>
#include <unordered_map>

#include "wdp/runtime/service_runtime.h"

namespace wdp::runtime {

class InputMeter {
 public:
  explicit InputMeter(ServiceRuntime& rt) : rt_(rt) {}
  // Subscribes `subscriber` to `prefix` and counts every message on it.
  void watch(bus::Subscriber& subscriber, std::string_view prefix);
  void count(std::string_view topic);

 private:
  ServiceRuntime& rt_;
  std::unordered_map<std::string, metrics::Counter*> counters_;
};

}  // namespace wdp::runtime
