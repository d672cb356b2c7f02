#pragma once
// RuView/ADR-018 ESP32 binary UDP datagrams (../shared/docs/csi-wire-formats.md §3): raw CSI
// frames (magic 0xC5110001) decode to CsiFrame; vitals (…02, exactly 32 bytes), events (…04),
// compressed (…03), feature-state (…06) and sync (0xC511A110) packets are recognised and skipped;
// anything else is rejected with a reason.
//
// Raw frames: the payload is the ESP-IDF buffer, (imag, real) pairs reordered to (re, im) without
// changing values. Subcarrier indices come from esp32_layout: the frame carries only its length,
// so the row is picked with the configured secondary channel (default none). A length that fits
// no row (e.g. 306 pairs with secondary none) keeps the frame with empty subcarrier_index,
// bandwidth 0 and PPDU unspecified. first_word_invalid is not on the wire and is not applied.
// Bytes after the declared payload are tolerated (every reference parser does) and ignored;
// DecodeContext/DatagramResult have no field for them, so they are not counted here.
#include <memory>

#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::uint32_t kEsp32RawMagic = 0xC5110001u;
inline constexpr std::uint32_t kEsp32VitalsMagic = 0xC5110002u;
inline constexpr std::uint32_t kEsp32CompressedMagic = 0xC5110003u;
inline constexpr std::uint32_t kEsp32EventsMagic = 0xC5110004u;
inline constexpr std::uint32_t kEsp32FeatureStateMagic = 0xC5110006u;
inline constexpr std::uint32_t kEsp32SyncMagic = 0xC511A110u;
inline constexpr std::size_t kEsp32RawHeaderSize = 20;
inline constexpr std::size_t kEsp32VitalsSize = 32;

// Configuration the bytes do not carry.
struct Esp32UdpOptions {
  v1::SecondaryChannel secondary = v1::SECONDARY_CHANNEL_NONE;
};

DatagramResult decode_esp32_udp(std::span<const std::byte> datagram, const DecodeContext& context);
DatagramResult decode_esp32_udp(std::span<const std::byte> datagram, const DecodeContext& context,
                                const Esp32UdpOptions& options);

// A byte stream of concatenated ADR-018 packets (raw, vitals, events), e.g. a serial or TCP dump.
// After damage it resynchronises on the next `01 00 11 C5` / `02 00 11 C5` / `04 00 11 C5`.
// Skipped bytes that follow no reject are reported once per run as "garbage_bytes". Frames
// larger than the firmware's maximum (n_ant·n_sc > 1024) are rejected as "implausible_length"
// so that one corrupt header cannot swallow the frames after it.
std::unique_ptr<StreamDecoder> make_esp32_udp_stream_decoder(const DecodeContext& context, StreamCallbacks callbacks);
std::unique_ptr<StreamDecoder> make_esp32_udp_stream_decoder(const DecodeContext& context, StreamCallbacks callbacks,
                                                             const Esp32UdpOptions& options);

}  // namespace wdp::ingest
