#include "formats/esp32_encode.h"

#include <stdexcept>

#include "formats/esp32_udp.h"

namespace wdp::ingest {
namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

std::string encode_esp32_raw_frame(const Esp32RawHeader& h, std::span<const std::int8_t> imag_real) {
  const std::size_t payload = 2u * h.n_antennas * h.n_subcarriers;
  if (imag_real.size() != payload) {
    throw std::invalid_argument("encode_esp32_raw_frame: payload of " + std::to_string(imag_real.size()) +
                                " bytes, header needs " + std::to_string(payload));
  }
  std::string out;
  out.reserve(kEsp32RawHeaderSize + payload);
  put_le(out, kEsp32RawMagic, 4);
  put_le(out, h.node_id, 1);
  put_le(out, h.n_antennas, 1);
  put_le(out, h.n_subcarriers, 2);
  put_le(out, h.freq_mhz, 4);
  put_le(out, h.sequence, 4);
  out.push_back(static_cast<char>(h.rssi_dbm));
  out.push_back(static_cast<char>(h.noise_floor_dbm));
  put_le(out, 0, 2);  // reserved
  out.append(reinterpret_cast<const char*>(imag_real.data()), imag_real.size());
  return out;
}

}  // namespace wdp::ingest
