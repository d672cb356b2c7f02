#pragma once
// What a receiver measures: which OFDM bins (true indices and BinFlag bits, as csi-ingest would
// label them), on which carrier, with how many antennas, stored how.
//
// ESP32 profiles take their bin layout from csi-ingest's ESP-IDF table (formats/esp32_layout.h),
// so simulated buffers line up with what the decoder expects. Research-NIC profiles are MIMO
// with the grouped / full 802.11n tone sets.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wdp/v1/csi_frame.pb.h"

namespace wdp::sim {

struct RadioProfile {
  std::string name;
  std::string chip;                     // CsiFrame.chip
  bool esp32 = false;                   // buffers can go out as ADR-018 UDP frames
  std::uint32_t channel = 0;            // primary 802.11 channel
  std::uint32_t primary_mhz = 0;
  std::uint32_t grid_center_mhz = 0;    // centre of the FFT grid the indices refer to
  std::uint32_t bandwidth_mhz = 20;
  double spacing_hz = 312'500.0;
  v1::PpduType ppdu = v1::PPDU_TYPE_HT;
  v1::SecondaryChannel secondary = v1::SECONDARY_CHANNEL_NONE;
  std::vector<std::int32_t> index;      // one per bin (buffer order)
  std::string flags;                    // one BinFlag byte per bin
  std::uint32_t n_rx = 1, n_tx = 1;
  int sample_bits = 8;                  // 8 → SAMPLE_TYPE_INT8, 16 → SAMPLE_TYPE_INT16_LE
  double antenna_spacing_m = 0.0;       // between array elements (λ/2 at the grid centre)

  std::size_t n_bins() const { return index.size(); }
  double bin_freq_hz(std::size_t bin) const { return grid_center_mhz * 1e6 + index[bin] * spacing_hz; }
  bool is_null(std::size_t bin) const { return (static_cast<std::uint8_t>(flags[bin]) & v1::BIN_FLAG_NULL) != 0; }
};

// Names: esp32-ht20 (default, 128 pairs LLTF+HT-LTF), esp32-legacy (64 pairs), esp32-ht40
// (192 pairs, secondary above), intel5300 (3×3, 30 grouped bins), nic-ht20 (3×3, 56 bins),
// nic-ht40 (3×3, 114 bins). channel 0 = the profile's default channel. Throws on unknown names.
RadioProfile make_radio_profile(std::string_view name, std::uint32_t channel = 0);
std::vector<std::string> radio_profile_names();

}  // namespace wdp::sim
