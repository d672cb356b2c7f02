#include "ingest/source_filter.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace wdp::ingest {

Ipv4Network parse_cidr(std::string_view text) {
  const auto bad = [&] { return std::invalid_argument("bad IPv4 network '" + std::string(text) + "' (want a.b.c.d/len)"); };
  const auto slash = text.find('/');
  const std::string addr(text.substr(0, slash));
  int len = 32;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), len);
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || len < 0 || len > 32) throw bad();
  }
  in_addr a{};
  if (inet_pton(AF_INET, addr.c_str(), &a) != 1) throw bad();
  Ipv4Network n;
  n.mask = len == 0 ? 0 : ~0u << (32 - len);
  n.address = ntohl(a.s_addr) & n.mask;
  return n;
}

AllowList::AllowList(const std::vector<std::string>& cidrs) {
  for (const auto& c : cidrs) networks_.push_back(parse_cidr(c));
}

bool AllowList::allows(std::uint32_t ip) const {
  return networks_.empty() ||
         std::any_of(networks_.begin(), networks_.end(), [ip](const Ipv4Network& n) { return n.contains(ip); });
}

bool RateLimiter::allow(const std::string& key, std::int64_t now_ns) {
  if (rate_ <= 0) return true;
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now_ns});
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + double(now_ns - b.last_ns) * 1e-9 * rate_);
  b.last_ns = now_ns;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace wdp::ingest
