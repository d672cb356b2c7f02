#pragma once
// Request/reply over the bus: a request thread registers an id, publishes its command, and waits
// (bounded) until the bus thread delivers the reply carrying the same id.
//
// Thread safety: expect/wait from request threads, deliver from the bus thread.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace wdp::gateway {

template <class Reply>
class PendingReplies {
 public:
  void expect(const std::string& id) {
    std::lock_guard lock(mutex_);
    slots_[id];
  }
  // Returns false when nobody waits for `id` (an unsolicited or late reply).
  bool deliver(const std::string& id, const Reply& reply) {
    {
      std::lock_guard lock(mutex_);
      const auto it = slots_.find(id);
      if (it == slots_.end()) return false;
      it->second = reply;
    }
    cv_.notify_all();
    return true;
  }
  // Waits for the reply to `id`, then forgets the id. nullopt on timeout.
  std::optional<Reply> wait(const std::string& id, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return slots_[id].has_value(); });
    auto out = std::move(slots_[id]);
    slots_.erase(id);
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::string, std::optional<Reply>> slots_;
};

}  // namespace wdp::gateway
