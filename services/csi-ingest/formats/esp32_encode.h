#pragma once
// Encoder for RuView/ADR-018 raw CSI frames (magic 0xC5110001, ../shared/docs/csi-wire-formats.md
// §3.2). Used by tests, the simulator and the UDP load generator, so that they produce exactly
// what the firmware sends.
#include <cstdint>
#include <span>
#include <string>

namespace wdp::ingest {

struct Esp32RawHeader {
  std::uint8_t node_id = 1;
  std::uint8_t n_antennas = 1;
  std::uint16_t n_subcarriers = 0;  // pairs per antenna
  std::uint32_t freq_mhz = 0;       // primary channel centre
  std::uint32_t sequence = 0;
  std::int8_t rssi_dbm = 0;
  std::int8_t noise_floor_dbm = 0;
};

// imag_real: 2·n_antennas·n_subcarriers bytes, antenna-major, each pair (imag, real) as ESP-IDF
// stores it. Throws std::invalid_argument when the size does not match the header.
std::string encode_esp32_raw_frame(const Esp32RawHeader& header, std::span<const std::int8_t> imag_real);

}  // namespace wdp::ingest
