#include "state_cache.h"

namespace wdp::gateway {

void StateCache::on_heartbeat(const v1::Heartbeat& hb) {
  std::lock_guard lock(mutex_);
  const auto key = hb.origin().service() + "/" + hb.origin().instance();
  if (hb.state() == v1::SERVICE_STATE_STOPPING) {
    heartbeats_.erase(key);  // a clean stop leaves no stale entry
    return;
  }
  heartbeats_[key] = Seen{hb, Clock::now()};
}

void StateCache::on_sensing(const v1::SensingUpdate& u) {
  std::lock_guard lock(mutex_);
  sensing_[u.origin().node_id()] = u;
  sensing_at_[u.origin().node_id()] = Clock::now();
  sensing_version_.fetch_add(1, std::memory_order_release);
}

void StateCache::on_pose(const v1::PoseFrame& f) {
  std::lock_guard lock(mutex_);
  poses_[f.origin().node_id()] = f;
  pose_version_.fetch_add(1, std::memory_order_release);
}

v1::GetStatusResponse StateCache::status() const {
  std::lock_guard lock(mutex_);
  v1::GetStatusResponse r;
  const auto now = Clock::now();
  for (const auto& [key, seen] : heartbeats_) {
    auto* s = r.add_services();
    s->set_service(seen.heartbeat.origin().service());
    s->set_instance(seen.heartbeat.origin().instance());
    s->set_state(seen.heartbeat.state());
    s->set_reason(seen.heartbeat.reason());
    s->set_seconds_since_heartbeat(std::chrono::duration<double>(now - seen.at).count());
  }
  for (const auto& [node, u] : sensing_) {
    auto* n = r.add_nodes();
    n->set_node_id(node);
    n->set_frame_rate_hz(u.frame_rate_hz());
    const double age = std::chrono::duration<double>(now - sensing_at_.at(node)).count();
    n->set_seconds_since_frame(age);
    n->set_online(age < kOnlineS);
  }
  return r;
}

std::vector<v1::NodeStatus> StateCache::live_nodes() const {
  auto s = status();
  return {s.nodes().begin(), s.nodes().end()};
}

std::vector<v1::SensingUpdate> StateCache::latest_sensing(const std::string& node_id) const {
  std::lock_guard lock(mutex_);
  std::vector<v1::SensingUpdate> out;
  for (const auto& [node, u] : sensing_) {
    if (node_id.empty() || node == node_id) out.push_back(u);
  }
  return out;
}

std::vector<v1::PoseFrame> StateCache::latest_poses(const std::string& node_id) const {
  std::lock_guard lock(mutex_);
  std::vector<v1::PoseFrame> out;
  for (const auto& [node, f] : poses_) {
    if (node_id.empty() || node == node_id) out.push_back(f);
  }
  return out;
}

}  // namespace wdp::gateway
