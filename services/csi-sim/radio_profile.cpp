#include "radio_profile.h"

#include <cstdlib>
#include <stdexcept>

#include "formats/esp32_layout.h"
#include "geometry.h"

namespace wdp::sim {
namespace {

RadioProfile esp32(std::string name, std::uint32_t channel, v1::PpduType ppdu, v1::SecondaryChannel secondary,
                   std::uint32_t bw, std::size_t n_pairs) {
  RadioProfile p;
  p.name = std::move(name);
  p.chip = "esp32";
  p.esp32 = true;
  p.channel = channel ? channel : 6;
  p.primary_mhz = ingest::wifi_channel_to_mhz(p.channel);
  if (p.primary_mhz == 0) throw std::invalid_argument("unknown WiFi channel " + std::to_string(p.channel));
  p.ppdu = ppdu;
  p.secondary = secondary;
  p.bandwidth_mhz = bw;
  const ingest::EspRxInfo rx{.chip = ingest::EspChip::classic, .secondary = secondary, .ppdu = ppdu, .bandwidth_mhz = bw};
  const auto layout = ingest::esp_layout(rx, n_pairs);
  if (!layout.known) throw std::logic_error("csi-ingest has no ESP32 layout for profile " + p.name);
  p.index = layout.index;
  p.flags = layout.flags;
  p.spacing_hz = layout.spacing_hz;
  p.grid_center_mhz = static_cast<std::uint32_t>(static_cast<std::int32_t>(p.primary_mhz) + layout.grid_offset_mhz);
  return p;
}

RadioProfile nic(std::string name, std::string chip, std::uint32_t channel, std::uint32_t bw, int bits,
                 std::vector<std::int32_t> index, std::vector<int> pilots) {
  RadioProfile p;
  p.name = std::move(name);
  p.chip = std::move(chip);
  p.channel = channel;
  p.primary_mhz = ingest::wifi_channel_to_mhz(channel);
  if (p.primary_mhz == 0) throw std::invalid_argument("unknown WiFi channel " + std::to_string(channel));
  // An HT40 grid is centred between the primary and its secondary (above here).
  p.grid_center_mhz = bw == 40 ? p.primary_mhz + 10 : p.primary_mhz;
  p.bandwidth_mhz = bw;
  p.ppdu = v1::PPDU_TYPE_HT;
  p.secondary = bw == 40 ? v1::SECONDARY_CHANNEL_ABOVE : v1::SECONDARY_CHANNEL_NONE;
  p.n_rx = 3;
  p.n_tx = 3;
  p.sample_bits = bits;
  p.index = std::move(index);
  p.flags.assign(p.index.size(), static_cast<char>(v1::BIN_FLAG_FIELD_HTLTF));
  for (std::size_t i = 0; i < p.index.size(); ++i) {
    for (int pl : pilots) {
      if (std::abs(p.index[i]) == pl) p.flags[i] = static_cast<char>(p.flags[i] | v1::BIN_FLAG_PILOT);
    }
  }
  return p;
}

// −hi…−lo, +lo…+hi: the occupied tones of a 20/40 MHz HT PPDU (wire formats §2.5).
std::vector<std::int32_t> symmetric_tones(int lo, int hi) {
  std::vector<std::int32_t> v;
  for (int k = -hi; k <= -lo; ++k) v.push_back(k);
  for (int k = lo; k <= hi; ++k) v.push_back(k);
  return v;
}

}  // namespace

std::vector<std::string> radio_profile_names() {
  return {"esp32-ht20", "esp32-legacy", "esp32-ht40", "intel5300", "nic-ht20", "nic-ht40"};
}

RadioProfile make_radio_profile(std::string_view name, std::uint32_t channel) {
  RadioProfile p;
  if (name == "esp32-ht20") {
    p = esp32("esp32-ht20", channel, v1::PPDU_TYPE_HT, v1::SECONDARY_CHANNEL_NONE, 20, 128);
  } else if (name == "esp32-legacy") {
    p = esp32("esp32-legacy", channel, v1::PPDU_TYPE_NON_HT, v1::SECONDARY_CHANNEL_NONE, 20, 64);
  } else if (name == "esp32-ht40") {
    p = esp32("esp32-ht40", channel, v1::PPDU_TYPE_HT, v1::SECONDARY_CHANNEL_ABOVE, 40, 192);
  } else if (name == "intel5300") {
    // 802.11n grouping Ng = 2 (wire formats §6.5): −28, −26, …, −2, −1, +1, +3, …, +27, +28.
    std::vector<std::int32_t> idx;
    for (int k = -28; k <= -2; k += 2) idx.push_back(k);
    idx.push_back(-1);
    for (int k = 1; k <= 27; k += 2) idx.push_back(k);
    idx.push_back(28);
    p = nic("intel5300", "iwl5300", channel ? channel : 36, 20, 8, std::move(idx), {});
  } else if (name == "nic-ht20") {
    p = nic("nic-ht20", "nic", channel ? channel : 36, 20, 16, symmetric_tones(1, 28), {7, 21});
  } else if (name == "nic-ht40") {
    p = nic("nic-ht40", "nic", channel ? channel : 36, 40, 16, symmetric_tones(2, 58), {11, 25, 53});
  } else {
    throw std::invalid_argument("unknown radio profile '" + std::string(name) + "'");
  }
  p.antenna_spacing_m = 0.5 * kSpeedOfLight / (p.grid_center_mhz * 1e6);
  return p;
}

}  // namespace wdp::sim
