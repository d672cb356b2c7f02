#pragma once
// Per-key token buckets: each key may burst `burst` requests, refilled at `rate_per_s`. A rate of
// 0 disables limiting. Thread safety: allow() may be called from any thread.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace wdp::gateway {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(double rate_per_s, double burst) : rate_(rate_per_s), burst_(burst) {}

  // Takes one token from `key`'s bucket; false when empty (answer 429 / RESOURCE_EXHAUSTED).
  bool allow(const std::string& key, Clock::time_point now = Clock::now());
  // Seconds until the next token, for Retry-After.
  double retry_after_s() const { return rate_ > 0 ? 1.0 / rate_ : 0.0; }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace wdp::gateway
