#include "record_format.h"

#include <zlib.h>

#include <bit>
#include <cstring>

namespace wdp::recorder {

static_assert(std::endian::native == std::endian::little, "segment format assumes a little-endian host");

namespace {

template <class T>
void put(std::byte* out, T v) {
  std::memcpy(out, &v, sizeof v);
}
template <class T>
T get(const std::byte* in) {
  T v;
  std::memcpy(&v, in, sizeof v);
  return v;
}

}  // namespace

std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t seed) {
  // zlib takes uInt lengths; records are far below 4 GiB.
  return static_cast<std::uint32_t>(
      ::crc32(seed, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

void encode_file_header(const FileHeader& h, std::byte* out) {
  std::memcpy(out, kSegmentMagic, 8);
  put<std::uint32_t>(out + 8, kSegmentVersion);
  put<std::uint32_t>(out + 12, h.segment_no);
  put<std::int64_t>(out + 16, h.created_ns);
  put<std::uint32_t>(out + 24, 0);
  put<std::uint32_t>(out + 28, crc32({out, 28}));
}

std::optional<FileHeader> decode_file_header(std::span<const std::byte> in) {
  if (in.size() < kFileHeaderSize) return std::nullopt;
  if (std::memcmp(in.data(), kSegmentMagic, 8) != 0) return std::nullopt;
  if (get<std::uint32_t>(in.data() + 28) != crc32(in.first(28))) return std::nullopt;
  if (get<std::uint32_t>(in.data() + 8) != kSegmentVersion) return std::nullopt;
  return FileHeader{get<std::uint32_t>(in.data() + 12), get<std::int64_t>(in.data() + 16)};
}

std::size_t encoded_size(const RecordView& r) {
  return kRecordPrefixSize + kBodyHeaderSize + r.topic.size() + r.payload.size();
}

void append_record(const RecordView& r, std::string& out) {
  const std::size_t start = out.size();
  const auto length = static_cast<std::uint32_t>(kBodyHeaderSize + r.topic.size() + r.payload.size());
  out.resize(start + kRecordPrefixSize + length);
  auto* p = reinterpret_cast<std::byte*>(out.data() + start);
  put<std::uint32_t>(p, kRecordSync);
  put<std::uint32_t>(p + 4, length);
  std::byte* body = p + kRecordPrefixSize;
  put<std::uint8_t>(body, static_cast<std::uint8_t>(RecordType::bus_message));
  put<std::uint8_t>(body + 1, 0);
  put<std::uint16_t>(body + 2, static_cast<std::uint16_t>(r.topic.size()));
  put<std::uint32_t>(body + 4, r.publisher_id);
  put<std::uint64_t>(body + 8, r.bus_sequence);
  put<std::int64_t>(body + 16, r.publish_time_ns);
  put<std::int64_t>(body + 24, r.receive_time_ns);
  std::memcpy(body + kBodyHeaderSize, r.topic.data(), r.topic.size());
  if (!r.payload.empty()) std::memcpy(body + kBodyHeaderSize + r.topic.size(), r.payload.data(), r.payload.size());
  // The CRC covers the length too, so a flipped length bit is caught rather than followed.
  put<std::uint32_t>(p + 8, crc32({body, length}, crc32({p + 4, 4})));
}

DecodeStatus decode_record(std::span<const std::byte> in, RecordView& out, std::size_t& consumed) {
  if (in.size() < kRecordPrefixSize) return DecodeStatus::truncated;
  if (get<std::uint32_t>(in.data()) != kRecordSync) return DecodeStatus::bad;
  const auto length = get<std::uint32_t>(in.data() + 4);
  if (length < kBodyHeaderSize || length > kMaxBodyBytes) return DecodeStatus::bad;
  if (in.size() < kRecordPrefixSize + length) return DecodeStatus::truncated;
  const std::byte* body = in.data() + kRecordPrefixSize;
  if (get<std::uint32_t>(in.data() + 8) != crc32({body, length}, crc32(in.subspan(4, 4)))) return DecodeStatus::bad;
  const auto topic_len = get<std::uint16_t>(body + 2);
  if (get<std::uint8_t>(body) != static_cast<std::uint8_t>(RecordType::bus_message) ||
      kBodyHeaderSize + topic_len > length) {
    return DecodeStatus::bad;
  }
  out.publisher_id = get<std::uint32_t>(body + 4);
  out.bus_sequence = get<std::uint64_t>(body + 8);
  out.publish_time_ns = get<std::int64_t>(body + 16);
  out.receive_time_ns = get<std::int64_t>(body + 24);
  out.topic = {reinterpret_cast<const char*>(body + kBodyHeaderSize), topic_len};
  out.payload = {body + kBodyHeaderSize + topic_len, length - kBodyHeaderSize - topic_len};
  consumed = kRecordPrefixSize + length;
  return DecodeStatus::ok;
}

}  // namespace wdp::recorder
