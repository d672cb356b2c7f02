#include "wdp/bus/endpoint.h"

#include <gtest/gtest.h>

#include "wdp/bus/bus_header.h"

namespace wdp::bus {

TEST(Endpoint, PrefixSelectsBindOrConnect) {
  EXPECT_TRUE(parse_endpoint("@tcp://127.0.0.1:7100").bind);
  EXPECT_FALSE(parse_endpoint(">tcp://127.0.0.1:7100").bind);
  EXPECT_FALSE(parse_endpoint("tcp://127.0.0.1:7100").bind);
  EXPECT_EQ(parse_endpoint("@ipc:///tmp/x").address, "ipc:///tmp/x");
}

TEST(Endpoint, RejectsGarbageWithTheOffendingText) {
  try {
    parse_endpoint(">localhost");
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("localhost"), std::string::npos);
  }
  EXPECT_THROW(parse_endpoint("@"), std::invalid_argument);
}

TEST(BusHeader, RoundTripsAndChecksMagic) {
  std::byte buf[BusHeader::kSize];
  BusHeader h{0xDEADBEEF, 1234567890123ull, -5};
  h.encode(buf);
  // Little-endian magic "WDP1" on the wire.
  EXPECT_EQ(char(buf[0]), 'W');
  EXPECT_EQ(char(buf[3]), '1');
  auto d = BusHeader::decode(buf);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->publisher_id, 0xDEADBEEF);
  EXPECT_EQ(d->sequence, 1234567890123ull);
  EXPECT_EQ(d->publish_time_ns, -5);
  EXPECT_FALSE(BusHeader::decode(std::span<const std::byte>(buf, 23)));
  buf[0] = std::byte{0};
  EXPECT_FALSE(BusHeader::decode(buf));
}

}  // namespace wdp::bus
