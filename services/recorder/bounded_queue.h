#pragma once
// A multi-producer, single-consumer queue with a capacity: try_push() refuses when full, so the
// bus thread never waits on the disk; push() ignores the bound (for rare control messages).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace wdp::recorder {

template <class T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  // `item` is left untouched when refused, so the caller may offer it again.
  template <class U>
  bool try_push(U&& item) {
    {
      std::lock_guard lock(mutex_);
      if (items_.size() >= capacity_) return false;
      items_.emplace_back(std::forward<U>(item));
    }
    ready_.notify_one();
    return true;
  }
  template <class U>
  void push(U&& item) {
    {
      std::lock_guard lock(mutex_);
      items_.emplace_back(std::forward<U>(item));
    }
    ready_.notify_one();
  }
  // Moves everything queued into `out` (cleared first), waiting up to `timeout` for the first item.
  void pop_all(std::vector<T>& out, std::chrono::milliseconds timeout) {
    out.clear();
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return !items_.empty(); });
    out.swap(items_);
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }
  void wake() { ready_.notify_all(); }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<T> items_;
};

}  // namespace wdp::recorder
