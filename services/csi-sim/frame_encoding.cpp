#include "frame_encoding.h"

#include <cmath>
#include <stdexcept>

#include "formats/esp32_encode.h"
#include "wdp/bus/clock.h"

namespace wdp::sim {

void to_csi_frame(const Simulator& sim, const LinkFrame& f, std::int64_t sensor_time_ns, v1::CsiFrame& out) {
  const auto& p = sim.profile();
  const auto& pk = f.packet;
  out.Clear();
  out.set_node_id(sim.scene().nodes[f.node].id);
  out.set_link_id(f.link_id);
  out.set_source_format(v1::SOURCE_FORMAT_SIMULATOR);
  out.set_chip(p.chip);
  out.set_sequence(f.sequence);
  out.set_has_sequence(true);
  out.set_sensor_time_ns(sensor_time_ns);
  out.set_sensor_time_is_epoch(true);
  out.set_receive_time_ns(bus::wall_ns());
  out.set_receive_mono_ns(bus::mono_ns());
  out.set_n_rx(p.n_rx);
  out.set_n_tx(p.n_tx);
  out.set_n_bins(static_cast<std::uint32_t>(p.n_bins()));
  for (auto k : p.index) out.add_subcarrier_index(k);
  out.set_bin_flags(p.flags);
  std::string bytes;
  if (p.sample_bits == 8) {
    out.set_sample_type(v1::SAMPLE_TYPE_INT8);
    bytes.resize(pk.samples.size());
    for (std::size_t i = 0; i < pk.samples.size(); ++i) bytes[i] = static_cast<char>(static_cast<std::int8_t>(pk.samples[i]));
  } else {
    out.set_sample_type(v1::SAMPLE_TYPE_INT16_LE);
    bytes.resize(2 * pk.samples.size());
    for (std::size_t i = 0; i < pk.samples.size(); ++i) {
      const auto v = static_cast<std::uint16_t>(static_cast<std::int16_t>(pk.samples[i]));
      bytes[2 * i] = static_cast<char>(v & 0xFF);
      bytes[2 * i + 1] = static_cast<char>(v >> 8);
    }
  }
  out.set_samples(std::move(bytes));
  out.set_scale(std::pow(10.0, -pk.gain_db / 20));
  for (std::uint32_t r = 0; r < p.n_rx; ++r) out.add_rssi_dbm(pk.rssi_dbm);
  out.set_rssi_valid(true);
  out.set_noise_floor_dbm(pk.noise_floor_dbm);
  out.set_noise_floor_valid(true);
  out.set_channel(p.channel);
  out.set_center_freq_mhz(p.grid_center_mhz);
  out.set_bandwidth_mhz(p.bandwidth_mhz);
  out.set_subcarrier_spacing_hz(p.spacing_hz);
  out.set_ppdu_type(p.ppdu);
  out.set_secondary_channel(p.secondary);
}

std::string to_esp32_datagram(const Simulator& sim, const LinkFrame& f) {
  const auto& p = sim.profile();
  if (!p.esp32 || p.n_tx != 1) throw std::logic_error("UDP output needs an ESP32 profile, not " + p.name);
  // ESP-IDF stores each pair (imag, real); the payload is antenna-major.
  std::vector<std::int8_t> imag_real(f.packet.samples.size());
  for (std::size_t i = 0; i + 1 < imag_real.size(); i += 2) {
    imag_real[i] = static_cast<std::int8_t>(f.packet.samples[i + 1]);
    imag_real[i + 1] = static_cast<std::int8_t>(f.packet.samples[i]);
  }
  const ingest::Esp32RawHeader h{
      .node_id = sim.scene().nodes[f.node].esp_node_id,
      .n_antennas = static_cast<std::uint8_t>(p.n_rx),
      .n_subcarriers = static_cast<std::uint16_t>(p.n_bins()),
      .freq_mhz = p.primary_mhz,
      .sequence = static_cast<std::uint32_t>(f.sequence),
      .rssi_dbm = static_cast<std::int8_t>(f.packet.rssi_dbm),
      .noise_floor_dbm = static_cast<std::int8_t>(f.packet.noise_floor_dbm),
  };
  return ingest::encode_esp32_raw_frame(h, imag_real);
}

}  // namespace wdp::sim
