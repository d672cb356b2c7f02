#pragma once
// Where each pair of an ESP-IDF CSI buffer sits in frequency (../shared/docs/csi-wire-formats.md
// §2). The buffer says nothing about its own layout: the row is chosen from rx_ctrl metadata
// (text formats) or from the length plus configuration (RuView binary frames).
//
// Output per pair: the true OFDM subcarrier index on the FFT grid, and BinFlag bits:
//   NULL     outside the occupied tones of §2.5, or DC (guards, interpolated edges)
//   PILOT    802.11 pilot tone
//   INVALID  first_word_invalid junk (pairs 0–1), the STBC CSD angle (first pair of HT-LTF and
//            STBC-HT-LTF), the 4-byte alignment pad pair, the C5 "invalid subcarrier" list
//   FIELD_*  training field the pair came from (none = LLTF / only field)
// Indices of "above"/"below" rows lie on the 128-point 40 MHz grid, whose centre is the primary
// channel ±10 MHz; "none" rows use the 64-point grid centred on the primary.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wdp/v1/csi_frame.pb.h"

namespace wdp::ingest {

// classic = ESP32, ESP32-S2, ESP32-S3, ESP32-C3 (one ESP-IDF table, §2.2).
enum class EspChip : std::uint8_t { classic, c5, c6 };

// The rx_ctrl facts that select a row.
struct EspRxInfo {
  EspChip chip = EspChip::classic;
  v1::SecondaryChannel secondary = v1::SECONDARY_CHANNEL_NONE;
  v1::PpduType ppdu = v1::PPDU_TYPE_NON_HT;  // VHT is laid out as HT; HE only on the C5
  std::uint32_t bandwidth_mhz = 20;          // PPDU bandwidth (rx_ctrl.cwb): 20 or 40
  bool stbc = false;
  bool first_word_invalid = false;
};

struct EspLayout {
  // false: no documented row matches; `index` is empty but `flags` still has one byte per pair
  // (first_word_invalid is honoured either way).
  bool known = false;
  std::vector<std::int32_t> index;  // one per pair when known
  std::string flags;                // one BinFlag byte per pair, always
  std::int32_t grid_offset_mhz = 0;  // FFT-grid centre minus primary channel centre
  double spacing_hz = 312'500.0;
};

// Maps a buffer of n_pairs (imag, real) pairs. On the classic chips a buffer shorter than the
// row (training fields disabled in esp_wifi_set_csi_config) is matched against the row's blocks
// with some left out, in the order LLTF, HT-LTF, STBC-HT-LTF; a trailing odd pair is the 4-byte
// alignment pad (§2.2) and is flagged INVALID | NULL.
EspLayout esp_layout(const EspRxInfo& rx, std::size_t n_pairs);

// No documented row: flags only (first_word_invalid honoured), indices empty.
EspLayout esp_unknown_layout(std::size_t n_pairs, bool first_word_invalid);

// RuView binary frames carry only the length (§3): pick the classic-chip row that has every
// training field enabled (the firmware's setting) for this secondary channel. nullopt when no
// row has this length (e.g. 306 pairs with secondary none): the caller keeps the frame with
// unknown indices.
std::optional<EspRxInfo> esp_rx_from_length(std::size_t n_pairs, v1::SecondaryChannel secondary);

// 0 for none, +10 for above, -10 for below.
std::int32_t esp_grid_offset_mhz(v1::SecondaryChannel secondary);

// 802.11 channel number <-> centre frequency (2.4 GHz ch 1–14, 5 GHz ch 36–177); 0 if unknown.
std::uint32_t wifi_channel_to_mhz(std::uint32_t channel);
std::uint32_t wifi_mhz_to_channel(std::uint32_t mhz);

// ESP-IDF stores each pair as (imag, real): sets `frame.samples` to the same int8 values in the
// (re, im) order of CsiFrame, sample type INT8 and scale 1 (the buffer has no physical unit).
void set_esp_samples(v1::CsiFrame& frame, std::string_view imag_real);

// Writes subcarrier_index (when known), bin_flags, subcarrier_spacing_hz and center_freq_mhz
// (primary + grid offset; 0 when the primary is unknown or the layout is unknown).
void apply_esp_layout(v1::CsiFrame& frame, const EspLayout& layout, std::uint32_t primary_mhz);

}  // namespace wdp::ingest
