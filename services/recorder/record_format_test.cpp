#include "record_format.h"

#include <gtest/gtest.h>

#include <cstring>

namespace wdp::recorder {
namespace {

std::span<const std::byte> bytes_of(std::string_view s) { return std::as_bytes(std::span<const char>(s)); }

TEST(RecordFormat, Crc32MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32(bytes_of("123456789")), 0xCBF43926u);
  EXPECT_EQ(crc32(bytes_of("")), 0u);
}

TEST(RecordFormat, RecordRoundTrip) {
  const std::string payload = std::string("\x00\x01\x02\xff", 4) + std::string(400, 'x');
  RecordView in{"csi.raw.esp32-1", 0xdeadbeef, 42, 1'700'000'000'123'456'789, 1'700'000'000'200'000'000, bytes_of(payload)};
  std::string buf;
  append_record(in, buf);
  ASSERT_EQ(buf.size(), encoded_size(in));
  RecordView out;
  std::size_t used = 0;
  ASSERT_EQ(decode_record(bytes_of(buf), out, used), DecodeStatus::ok);
  EXPECT_EQ(used, buf.size());
  EXPECT_EQ(out.topic, in.topic);
  EXPECT_EQ(out.publisher_id, in.publisher_id);
  EXPECT_EQ(out.bus_sequence, in.bus_sequence);
  EXPECT_EQ(out.publish_time_ns, in.publish_time_ns);
  EXPECT_EQ(out.receive_time_ns, in.receive_time_ns);
  ASSERT_EQ(out.payload.size(), payload.size());
  EXPECT_EQ(std::memcmp(out.payload.data(), payload.data(), payload.size()), 0);
}

TEST(RecordFormat, EveryFlippedBitIsDetected) {
  const std::string payload(64, 'p');
  std::string buf;
  append_record({"gt.scene", 7, 9, 11, 13, bytes_of(payload)}, buf);
  for (std::size_t bit = 0; bit < buf.size() * 8; ++bit) {
    std::string bad = buf;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    RecordView out;
    std::size_t used = 0;
    EXPECT_NE(decode_record(bytes_of(bad), out, used), DecodeStatus::ok) << "bit " << bit;
  }
}

TEST(RecordFormat, ShortInputIsTruncatedNotBad) {
  std::string buf;
  append_record({"t", 1, 2, 3, 4, {}}, buf);
  for (std::size_t n = 0; n < buf.size(); ++n) {
    RecordView out;
    std::size_t used = 0;
    EXPECT_EQ(decode_record(bytes_of(std::string_view(buf).substr(0, n)), out, used), DecodeStatus::truncated) << n;
  }
}

TEST(RecordFormat, FileHeaderRoundTripAndCorruption) {
  std::byte h[kFileHeaderSize];
  encode_file_header({3, 123456789}, h);
  const auto d = decode_file_header(h);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->segment_no, 3u);
  EXPECT_EQ(d->created_ns, 123456789);
  h[17] ^= std::byte{0x10};
  EXPECT_FALSE(decode_file_header(h));
  EXPECT_FALSE(decode_file_header(std::span<const std::byte>(h, 31)));
}

}  // namespace
}  // namespace wdp::recorder
