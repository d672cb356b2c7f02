#pragma once
// One-to-many delivery of bus messages to live clients (gRPC streams, WebSocket hubs). publish()
// runs every sink on the caller's thread, so a sink must only enqueue (never block or write to a
// socket); each client bounds its own queue.
//
// Thread safety: add/remove/publish from any thread.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace wdp::gateway {

template <class Msg>
class Fanout {
 public:
  using Ptr = std::shared_ptr<const Msg>;
  using Sink = std::function<void(const Ptr&)>;

  std::uint64_t add(Sink sink) {
    std::lock_guard lock(mutex_);
    const auto id = ++next_id_;
    sinks_.emplace(id, std::move(sink));
    count_.store(sinks_.size(), std::memory_order_relaxed);
    return id;
  }
  void remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    sinks_.erase(id);
    count_.store(sinks_.size(), std::memory_order_relaxed);
  }
  // Cheap check so the bus thread can skip copying a message nobody wants.
  bool empty() const { return count_.load(std::memory_order_relaxed) == 0; }
  void publish(const Ptr& msg) {
    std::lock_guard lock(mutex_);
    for (auto& [id, sink] : sinks_) sink(msg);
  }

 private:
  std::mutex mutex_;
  std::map<std::uint64_t, Sink> sinks_;
  std::uint64_t next_id_ = 0;
  std::atomic<std::size_t> count_{0};
};

}  // namespace wdp::gateway
