#include "formats/esp32_udp.h"

#include <cstring>

namespace wdp::ingest {
namespace {

template <class T>
T read_le(std::span<const std::byte> b, std::size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof(T));
  return v;  // host is little-endian (checked in bus_header.h)
}

DatagramResult reject(std::string reason, std::string detail) {
  DatagramResult r;
  r.kind = DatagramResult::Kind::reject;
  r.reject = Reject{std::move(reason), std::move(detail), 0};
  return r;
}

DatagramResult skip(std::string kind) {
  DatagramResult r;
  r.kind = DatagramResult::Kind::skip;
  r.skip.kind = std::move(kind);
  return r;
}

// ch 1–13 -> 2412 + 5(ch-1), 14 -> 2484, 36–177 -> 5000 + 5ch (wire doc §3.2, inverted).
std::uint32_t channel_from_mhz(std::uint32_t mhz) {
  if (mhz == 2484) return 14;
  if (mhz >= 2412 && mhz <= 2472 && (mhz - 2412) % 5 == 0) return (mhz - 2412) / 5 + 1;
  if (mhz >= 5180 && mhz <= 5885 && mhz % 5 == 0) return (mhz - 5000) / 5;
  return 0;
}

}  // namespace

DatagramResult decode_esp32_udp(std::span<const std::byte> d, const DecodeContext& ctx) {
  if (d.size() < 4) return reject("truncated_header", std::to_string(d.size()) + " bytes");
  const auto magic = read_le<std::uint32_t>(d, 0);
  if (magic == kEsp32VitalsMagic) {
    if (d.size() != 32) return reject("bad_length", "vitals packet of " + std::to_string(d.size()) + " bytes (need 32)");
    return skip("esp32_vitals");
  }
  if (magic == kEsp32EventsMagic) return skip("esp32_events");
  if (magic != kEsp32RawMagic) return reject("bad_magic", "magic 0x" + [&] {
    char buf[9];
    std::snprintf(buf, sizeof(buf), "%08X", magic);
    return std::string(buf);
  }());
  if (d.size() < 20) return reject("truncated_header", std::to_string(d.size()) + " bytes (need 20)");
  const auto node = static_cast<std::uint8_t>(d[4]);
  const auto n_ant = static_cast<std::uint8_t>(d[5]);
  const auto n_sc = read_le<std::uint16_t>(d, 6);
  if (n_ant < 1 || n_ant > 4) return reject("bad_count", "n_antennas " + std::to_string(n_ant));
  if (n_sc < 1) return reject("bad_count", "n_subcarriers 0");
  const std::size_t payload = 2u * n_ant * n_sc;
  if (d.size() < 20 + payload) {
    return reject("truncated_payload", std::to_string(d.size()) + " bytes, header says " + std::to_string(20 + payload));
  }
  const auto freq = read_le<std::uint32_t>(d, 8);

  DatagramResult r;
  r.kind = DatagramResult::Kind::frame;
  auto& f = r.frame;
  f.set_node_id(ctx.node_override.empty() ? ctx.node_prefix + "esp32-" + std::to_string(node) : ctx.node_override);
  f.set_source_format(v1::SOURCE_FORMAT_ESP32_UDP);
  f.set_sequence(read_le<std::uint32_t>(d, 12));
  f.set_has_sequence(true);
  f.set_receive_time_ns(ctx.receive_time_ns);
  f.set_receive_mono_ns(ctx.receive_mono_ns);
  f.set_n_rx(n_ant);
  f.set_n_tx(1);
  f.set_n_bins(n_sc);
  f.set_sample_type(v1::SAMPLE_TYPE_INT8);
  // ESP-IDF stores (imag, real); reorder to (re, im) without changing values.
  std::string samples(payload, '\0');
  const auto* in = reinterpret_cast<const char*>(d.data() + 20);
  for (std::size_t k = 0; k < payload; k += 2) {
    samples[k] = in[k + 1];
    samples[k + 1] = in[k];
  }
  f.set_samples(std::move(samples));
  f.set_scale(1.0);
  f.add_rssi_dbm(static_cast<std::int8_t>(d[16]));
  f.set_rssi_valid(true);
  f.set_noise_floor_dbm(static_cast<std::int8_t>(d[17]));
  f.set_noise_floor_valid(true);
  f.set_center_freq_mhz(freq);
  f.set_channel(channel_from_mhz(freq));
  f.set_subcarrier_spacing_hz(312'500.0);
  return r;
}

}  // namespace wdp::ingest
