#pragma once
// The fixed 24-byte header that precedes every payload on the bus. It lets any subscriber count
// loss, duplicates and lag per (publisher, topic) without decoding the payload.
//
// Wire layout (little-endian), followed directly by the payload bytes:
//   0  u32 magic            0x31504457 ("WDP1")
//   4  u32 publisher_id     random per publisher instance (a restart gives a new id)
//   8  u64 sequence         per (publisher, topic), starts at 0
//  16  i64 publish_time_ns  CLOCK_REALTIME at publish, ns since Unix epoch
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace wdp::bus {

struct BusHeader {
  static constexpr std::uint32_t kMagic = 0x31504457u;
  static constexpr std::size_t kSize = 24;

  std::uint32_t publisher_id = 0;
  std::uint64_t sequence = 0;
  std::int64_t publish_time_ns = 0;

  void encode(std::byte* out) const {
    const std::uint32_t magic = kMagic;
    std::memcpy(out, &magic, 4);
    std::memcpy(out + 4, &publisher_id, 4);
    std::memcpy(out + 8, &sequence, 8);
    std::memcpy(out + 16, &publish_time_ns, 8);
  }

  // Empty when the buffer is too short or does not start with the magic.
  static std::optional<BusHeader> decode(std::span<const std::byte> in) {
    if (in.size() < kSize) return std::nullopt;
    std::uint32_t magic = 0;
    std::memcpy(&magic, in.data(), 4);
    if (magic != kMagic) return std::nullopt;
    BusHeader h;
    std::memcpy(&h.publisher_id, in.data() + 4, 4);
    std::memcpy(&h.sequence, in.data() + 8, 8);
    std::memcpy(&h.publish_time_ns, in.data() + 16, 8);
    return h;
  }
};
static_assert(std::endian::native == std::endian::little, "bus header assumes a little-endian host");

}  // namespace wdp::bus
