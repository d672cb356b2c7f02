#pragma once
// RuView/ADR-018 ESP32 binary UDP datagrams (../shared/docs/csi-wire-formats.md §3): raw CSI
// frames (magic 0xC5110001) decode to CsiFrame; vitals (…02, exactly 32 bytes) and events (…04)
// are recognised and skipped here; anything else is rejected with a reason.
#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::uint32_t kEsp32RawMagic = 0xC5110001u;
inline constexpr std::uint32_t kEsp32VitalsMagic = 0xC5110002u;
inline constexpr std::uint32_t kEsp32EventsMagic = 0xC5110004u;

DatagramResult decode_esp32_udp(std::span<const std::byte> datagram, const DecodeContext& context);

}  // namespace wdp::ingest
