#pragma once
// Admission control for live sources: an optional allow-list of IPv4 networks (CIDR) and a
// per-node rate limit (token bucket). Both reject rather than block, and the caller counts the
// reject reasons "not_allowed" and "rate_limited".
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wdp::ingest {

struct Ipv4Network {
  std::uint32_t address = 0;  // host byte order
  std::uint32_t mask = 0;
  bool contains(std::uint32_t ip) const { return (ip & mask) == address; }
};

// "10.0.0.0/8", "192.168.1.7" (= /32). Throws std::invalid_argument naming the bad text.
Ipv4Network parse_cidr(std::string_view text);

class AllowList {
 public:
  AllowList() = default;  // empty list: everything allowed
  explicit AllowList(const std::vector<std::string>& cidrs);
  bool allows(std::uint32_t ip_host_order) const;
  bool empty() const { return networks_.empty(); }

 private:
  std::vector<Ipv4Network> networks_;
};

// Token bucket per key: `rate` tokens per second, up to `burst`. rate <= 0 disables it.
class RateLimiter {
 public:
  RateLimiter(double rate_per_s, double burst) : rate_(rate_per_s), burst_(burst) {}
  bool allow(const std::string& key, std::int64_t now_ns);
  bool enabled() const { return rate_ > 0; }

 private:
  struct Bucket {
    double tokens;
    std::int64_t last_ns;
  };
  double rate_;
  double burst_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace wdp::ingest
