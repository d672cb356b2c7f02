#pragma once
// The live ESP32 UDP hot path: an ADR-018 raw frame (magic 0xC5110001) written straight into the
// wire bytes of wdp.v1.CsiFrame, without building a message. The bytes are exactly what
// decode_esp32_udp() + SerializeToString() give for the same datagram (a unit test compares them
// for every layout length); only the per-shape parts (subcarrier_index, bin_flags, radio facts)
// are precomputed, once per subcarrier count. Anything that is not a complete raw frame is left to
// decode_esp32_udp(), which owns the reject and skip reasons.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "formats/esp32_udp.h"

namespace wdp::ingest {

// The header fields of a raw frame, and its (imag, real) payload.
struct Esp32RawView {
  std::uint8_t node = 0;
  std::uint8_t n_antennas = 0;
  std::uint16_t n_subcarriers = 0;
  std::uint32_t freq_mhz = 0;
  std::uint32_t sequence = 0;
  std::int8_t rssi_dbm = 0;
  std::int8_t noise_floor_dbm = 0;
  std::span<const std::byte> payload;  // 2·n_antennas·n_subcarriers bytes
};

// A complete, valid raw frame; nullopt for every other datagram (decode_esp32_udp says why).
std::optional<Esp32RawView> parse_esp32_raw(std::span<const std::byte> datagram);

class Esp32RawEncoder {
 public:
  explicit Esp32RawEncoder(std::string node_prefix, Esp32UdpOptions options = {});

  // node_prefix + "esp32-<node>", built once per node byte.
  const std::string& node_id(std::uint8_t node);

  // The encoded CsiFrame, valid until the next call.
  std::span<const std::byte> encode(const Esp32RawView& frame, std::int64_t receive_time_ns,
                                    std::int64_t receive_mono_ns, std::uint64_t ingest_sequence);
  // The same, written at buffer[at...] (grown as needed, never shrunk). Returns the size.
  std::size_t encode_into(std::vector<std::byte>& buffer, std::size_t at, const Esp32RawView& frame,
                          std::int64_t receive_time_ns, std::int64_t receive_mono_ns, std::uint64_t ingest_sequence);

 private:
  // Everything that depends only on the subcarrier count: pre-encoded fields 14 and 15 and the
  // scalars of the layout row.
  struct Shape {
    std::string index_and_flags;  // wire bytes of subcarrier_index (if known) and bin_flags
    bool known = false;
    std::int32_t grid_offset_mhz = 0;
    double spacing_hz = 0;
    std::uint32_t bandwidth_mhz = 0;
    v1::PpduType ppdu = v1::PPDU_TYPE_UNSPECIFIED;
    bool stbc = false;
  };
  const Shape& shape(std::uint16_t n_subcarriers);

  std::string node_prefix_;
  Esp32UdpOptions options_;
  std::array<std::string, 256> node_ids_;
  std::unordered_map<std::uint16_t, std::unique_ptr<Shape>> shapes_;
  std::vector<std::byte> out_;
};

}  // namespace wdp::ingest
