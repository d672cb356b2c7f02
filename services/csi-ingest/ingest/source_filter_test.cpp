#include "ingest/source_filter.h"

#include <gtest/gtest.h>

namespace wdp::ingest {

constexpr std::uint32_t ip(int a, int b, int c, int d) { return (a << 24) | (b << 16) | (c << 8) | d; }

TEST(AllowList, CidrMatching) {
  AllowList l({"192.168.1.0/24", "10.0.0.7"});
  EXPECT_TRUE(l.allows(ip(192, 168, 1, 200)));
  EXPECT_FALSE(l.allows(ip(192, 168, 2, 1)));
  EXPECT_TRUE(l.allows(ip(10, 0, 0, 7)));
  EXPECT_FALSE(l.allows(ip(10, 0, 0, 8)));
  EXPECT_TRUE(AllowList().allows(ip(1, 2, 3, 4)));
  EXPECT_TRUE(AllowList({"0.0.0.0/0"}).allows(ip(8, 8, 8, 8)));
  EXPECT_EQ(parse_cidr("192.168.1.77/24").address, ip(192, 168, 1, 0));  // host bits cleared
}

TEST(AllowList, RejectsBadText) {
  EXPECT_THROW(parse_cidr("192.168.1.0/33"), std::invalid_argument);
  EXPECT_THROW(parse_cidr("192.168.1/24"), std::invalid_argument);
  EXPECT_THROW(parse_cidr("10.0.0.0/x"), std::invalid_argument);
}

TEST(RateLimiter, TokenBucketPerKey) {
  RateLimiter r(10.0, 2.0);  // 10/s, burst 2
  const std::int64_t t0 = 1'000'000'000;
  EXPECT_TRUE(r.allow("a", t0));
  EXPECT_TRUE(r.allow("a", t0));
  EXPECT_FALSE(r.allow("a", t0));            // burst used up
  EXPECT_TRUE(r.allow("b", t0));             // other node unaffected
  EXPECT_FALSE(r.allow("a", t0 + 50'000'000));  // 0.5 token after 50 ms
  EXPECT_TRUE(r.allow("a", t0 + 100'000'000));  // 1 token after 100 ms
  RateLimiter off(0, 0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.allow("a", t0));
}

}  // namespace wdp::ingest
