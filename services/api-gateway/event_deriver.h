#pragma once
// Turns bus traffic into persisted events: a node's presence flag or motion state changing, a
// vitals summary per node and time window, and every WiFi-Mat domain event. The first calibrated
// update of a node sets its state without an event (there is no previous state to change from).
//
// Thread safety: one thread (the bus thread).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wdp/v1/gateway.pb.h"

namespace wdp::gateway {

class EventDeriver {
 public:
  explicit EventDeriver(std::int64_t vitals_window_ns = 60'000'000'000) : window_ns_(vitals_window_ns) {}

  std::vector<v1::Event> on_sensing(const v1::SensingUpdate& u);
  static v1::Event from_mat(const v1::MatEvent& m, std::int64_t fallback_time_ns);

 private:
  struct Window {
    std::int64_t start_ns = 0;
    std::uint32_t updates = 0;
    std::uint32_t breathing_valid = 0;
    double breathing_sum = 0;
    std::uint32_t heart_valid = 0;
    double heart_sum = 0;
  };
  struct NodeState {
    bool known = false;
    bool presence = false;
    v1::MotionState motion = v1::MOTION_STATE_UNSPECIFIED;
    Window window;
  };
  v1::Event vitals_event(const std::string& node, const Window& w) const;

  std::int64_t window_ns_;
  std::map<std::string, NodeState> nodes_;
};

// Time of a message: capture time, else publish time, else `fallback`.
std::int64_t origin_time_ns(const v1::Origin& o, std::int64_t fallback);

}  // namespace wdp::gateway
