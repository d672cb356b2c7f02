#pragma once
// The gateway's last-value cache: the latest heartbeat per service instance, sensing update and
// pose frame per node. Filled by the bus thread, read by HTTP and gRPC threads.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "wdp/v1/gateway.pb.h"

namespace wdp::gateway {

class StateCache {
 public:
  void on_heartbeat(const v1::Heartbeat& hb);
  void on_sensing(const v1::SensingUpdate& update);
  void on_pose(const v1::PoseFrame& frame);

  v1::GetStatusResponse status() const;
  // Nodes with a sensing update since start: rate, age of the last update, online (< 5 s).
  std::vector<v1::NodeStatus> live_nodes() const;
  // Bumped on every sensing/pose update, so serialized answers can be cached between updates.
  std::uint64_t sensing_version() const { return sensing_version_.load(std::memory_order_acquire); }
  std::uint64_t pose_version() const { return pose_version_.load(std::memory_order_acquire); }
  std::vector<v1::SensingUpdate> latest_sensing(const std::string& node_id) const;  // "" = all
  std::vector<v1::PoseFrame> latest_poses(const std::string& node_id) const;

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr double kOnlineS = 5.0;
  struct Seen {
    v1::Heartbeat heartbeat;
    Clock::time_point at;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Seen> heartbeats_;  // key: service/instance
  std::map<std::string, v1::SensingUpdate> sensing_;
  std::map<std::string, Clock::time_point> sensing_at_;
  std::atomic<std::uint64_t> sensing_version_{0};
  std::atomic<std::uint64_t> pose_version_{0};
  std::map<std::string, v1::PoseFrame> poses_;
};

}  // namespace wdp::gateway
