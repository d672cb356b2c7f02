#include "formats/esp32_layout.h"

#include <array>
#include <cstdlib>
#include <span>

namespace wdp::ingest {
namespace {

// 802.11 tone plans of §2.5, as offsets r from the PPDU's own centre.
enum class Occupancy : std::uint8_t { legacy, ht20, ht40, he20 };
enum class Field : std::uint8_t { lltf, htltf, stbc_htltf };

struct Range {
  int lo, hi;  // inclusive, ascending
};

struct Block {
  Field field;
  std::array<Range, 2> ranges;
  int n_ranges;
  Occupancy occupancy;
  int center;  // grid index of the PPDU centre: ±32 for a 20 MHz PPDU on the 40 MHz grid

  std::size_t size() const {
    std::size_t n = 0;
    for (int i = 0; i < n_ranges; ++i) n += static_cast<std::size_t>(ranges[i].hi - ranges[i].lo + 1);
    return n;
  }
};

struct Row {
  std::array<Block, 3> blocks;
  int n_blocks = 0;
  std::int32_t grid_offset_mhz = 0;
  double spacing_hz = 312'500.0;
  bool csd_first_pair = false;  // classic STBC: first pair of HT-LTF/STBC-HT-LTF is the CSD angle
  bool c5_invalid = false;      // C5 "invalid subcarrier" list (§2.3)
  bool allow_subsets = false;   // classic: fields may be disabled in the CSI config

  void add(Block b) { blocks[static_cast<std::size_t>(n_blocks++)] = b; }
  std::size_t size() const {
    std::size_t n = 0;
    for (int i = 0; i < n_blocks; ++i) n += blocks[static_cast<std::size_t>(i)].size();
    return n;
  }
};

bool occupied(Occupancy o, int r) {
  const int a = std::abs(r);
  switch (o) {
    case Occupancy::legacy: return a >= 1 && a <= 26;
    case Occupancy::ht20: return a >= 1 && a <= 28;
    case Occupancy::ht40: return a >= 2 && a <= 58;
    case Occupancy::he20: return a >= 2 && a <= 122;
  }
  return false;
}

bool pilot(Occupancy o, int r) {
  const int a = std::abs(r);
  switch (o) {
    case Occupancy::legacy:
    case Occupancy::ht20: return a == 7 || a == 21;
    case Occupancy::ht40: return a == 11 || a == 25 || a == 53;
    case Occupancy::he20: return a == 22 || a == 48 || a == 90 || a == 116;
  }
  return false;
}

bool c5_invalid_offset(Occupancy o, int r) {
  if (o == Occupancy::ht40 || o == Occupancy::he20) return r >= -1 && r <= 1;
  return r == 0;
}

Block block(Field f, Range a, Occupancy o, int center) { return Block{f, {a, Range{0, -1}}, 1, o, center}; }
Block block(Field f, Range a, Range b, Occupancy o, int center) { return Block{f, {a, b}, 2, o, center}; }

bool is_ht(v1::PpduType p) { return p == v1::PPDU_TYPE_HT || p == v1::PPDU_TYPE_VHT; }

// ESP-IDF table for ESP32/S2/S3/C3 (§2.2), every training field enabled.
std::optional<Row> classic_row(const EspRxInfo& rx) {
  Row row;
  row.allow_subsets = true;
  row.csd_first_pair = rx.stbc && is_ht(rx.ppdu);
  const bool ht = is_ht(rx.ppdu);
  const bool bw40 = rx.bandwidth_mhz == 40;
  if (rx.bandwidth_mhz != 20 && !bw40) return std::nullopt;
  if (!ht && rx.ppdu != v1::PPDU_TYPE_NON_HT) return std::nullopt;  // HE: not on these chips
  if (!ht && bw40) return std::nullopt;                               // no such row
  using enum Field;
  switch (rx.secondary) {
    case v1::SECONDARY_CHANNEL_NONE: {
      if (bw40) return std::nullopt;
      const Range lo{0, 31}, hi{-32, -1};
      row.add(block(lltf, lo, hi, Occupancy::legacy, 0));
      if (ht) row.add(block(htltf, lo, hi, Occupancy::ht20, 0));
      if (ht && rx.stbc) row.add(block(stbc_htltf, lo, hi, Occupancy::ht20, 0));
      return row;
    }
    case v1::SECONDARY_CHANNEL_BELOW:
    case v1::SECONDARY_CHANNEL_ABOVE: {
      const bool below = rx.secondary == v1::SECONDARY_CHANNEL_BELOW;
      // The primary is the upper half of the 40 MHz channel when the secondary is below.
      const int c = below ? 32 : -32;
      row.grid_offset_mhz = below ? -10 : 10;
      row.add(block(lltf, below ? Range{0, 63} : Range{-64, -1}, Occupancy::legacy, c));
      if (!ht) return row;
      if (!bw40) {
        const Range r = rx.stbc ? (below ? Range{0, 62} : Range{-62, -1}) : (below ? Range{0, 63} : Range{-64, -1});
        row.add(block(htltf, r, Occupancy::ht20, c));
        if (rx.stbc) row.add(block(stbc_htltf, r, Occupancy::ht20, c));
        return row;
      }
      const int e = rx.stbc ? 60 : 63;
      const Range lo{0, e}, hi{rx.stbc ? -60 : -64, -1};
      row.add(block(htltf, lo, hi, Occupancy::ht40, 0));
      if (rx.stbc) row.add(block(stbc_htltf, lo, hi, Occupancy::ht40, 0));
      return row;
    }
    default: return std::nullopt;
  }
}

// ESP-IDF table for the C5 (§2.3). The 20 MHz rows with a secondary channel are written as
// "0~52" / "-53~-1", which do not fit the primary channel's tones on the 40 MHz grid, so they
// are left unmapped rather than guessed.
std::optional<Row> c5_row(const EspRxInfo& rx, std::size_t n_pairs) {
  Row row;
  row.c5_invalid = true;
  using enum Field;
  const bool none = rx.secondary == v1::SECONDARY_CHANNEL_NONE;
  const Range l0{0, 26}, l1{-26, -1};
  if (none && n_pairs == 53) {  // non-HT, or acquire_csi_force_lltf: LLTF only
    row.add(block(lltf, l0, l1, Occupancy::legacy, 0));
    return row;
  }
  if (none && rx.bandwidth_mhz == 20) {
    if (rx.ppdu == v1::PPDU_TYPE_HE) {
      row.spacing_hz = 78'125.0;
      row.add(block(htltf, Range{0, 122}, Range{-122, -1}, Occupancy::he20, 0));
      return row;
    }
    if (!is_ht(rx.ppdu)) return std::nullopt;
    row.add(block(htltf, Range{0, 28}, Range{-28, -1}, Occupancy::ht20, 0));
    if (rx.stbc) row.add(block(stbc_htltf, Range{0, 28}, Range{-28, -1}, Occupancy::ht20, 0));
    return row;
  }
  if (!none && rx.bandwidth_mhz == 40 && is_ht(rx.ppdu)) {
    row.grid_offset_mhz = rx.secondary == v1::SECONDARY_CHANNEL_BELOW ? -10 : 10;
    row.add(block(htltf, Range{0, 58}, Range{-58, -1}, Occupancy::ht40, 0));
    if (rx.stbc) row.add(block(stbc_htltf, Range{0, 58}, Range{-58, -1}, Occupancy::ht40, 0));
    return row;
  }
  return std::nullopt;
}

// C6: no ESP-IDF table; the observed 64-pair HT20 buffer is one block ordered -32..+31 (§2.4).
std::optional<Row> c6_row(const EspRxInfo& rx) {
  if (rx.secondary != v1::SECONDARY_CHANNEL_NONE || rx.bandwidth_mhz != 20) return std::nullopt;
  Row row;
  row.add(block(Field::lltf, Range{-32, 31}, is_ht(rx.ppdu) ? Occupancy::ht20 : Occupancy::legacy, 0));
  return row;
}

std::optional<Row> row_for(const EspRxInfo& rx, std::size_t n_pairs) {
  switch (rx.chip) {
    case EspChip::classic: return classic_row(rx);
    case EspChip::c5: return c5_row(rx, n_pairs);
    case EspChip::c6: return c6_row(rx);
  }
  return std::nullopt;
}

std::uint8_t field_bits(Field f) {
  switch (f) {
    case Field::lltf: return 0;
    case Field::htltf: return v1::BIN_FLAG_FIELD_HTLTF;
    case Field::stbc_htltf: return v1::BIN_FLAG_FIELD_STBC_HTLTF;
  }
  return 0;
}

// Block subsets to try, most fields first, earlier fields preferred (bit i = block i).
std::span<const unsigned> subset_order(int n_blocks) {
  static constexpr unsigned k3[] = {7, 3, 5, 6, 1, 2, 4};
  static constexpr unsigned k2[] = {3, 1, 2};
  static constexpr unsigned k1[] = {1};
  if (n_blocks == 3) return k3;
  if (n_blocks == 2) return k2;
  return k1;
}

}  // namespace

EspLayout esp_layout(const EspRxInfo& rx, std::size_t n_pairs) {
  EspLayout out;
  out.flags.assign(n_pairs, '\0');
  const auto row = row_for(rx, n_pairs);
  if (row && row->n_blocks > 0) {
    const unsigned full = (1u << row->n_blocks) - 1;
    for (const unsigned mask : subset_order(row->n_blocks)) {
      if (!row->allow_subsets && mask != full) continue;
      std::size_t total = 0;
      for (int b = 0; b < row->n_blocks; ++b) {
        if (mask & (1u << b)) total += row->blocks[static_cast<std::size_t>(b)].size();
      }
      const bool pad = row->allow_subsets && total % 2 == 1 && n_pairs == total + 1;
      if (n_pairs != total && !pad) continue;
      out.known = true;
      out.grid_offset_mhz = row->grid_offset_mhz;
      out.spacing_hz = row->spacing_hz;
      out.index.reserve(n_pairs);
      std::size_t k = 0;
      for (int bi = 0; bi < row->n_blocks; ++bi) {
        if (!(mask & (1u << bi))) continue;
        const Block& b = row->blocks[static_cast<std::size_t>(bi)];
        bool first = true;
        for (int ri = 0; ri < b.n_ranges; ++ri) {
          for (int idx = b.ranges[static_cast<std::size_t>(ri)].lo; idx <= b.ranges[static_cast<std::size_t>(ri)].hi; ++idx) {
            const int r = idx - b.center;
            std::uint8_t f = field_bits(b.field);
            if (!occupied(b.occupancy, r)) f |= v1::BIN_FLAG_NULL;
            else if (pilot(b.occupancy, r)) f |= v1::BIN_FLAG_PILOT;
            if (row->csd_first_pair && b.field != Field::lltf && first) f |= v1::BIN_FLAG_INVALID;
            if (row->c5_invalid && c5_invalid_offset(b.occupancy, r)) f |= v1::BIN_FLAG_INVALID | v1::BIN_FLAG_NULL;
            out.index.push_back(idx);
            out.flags[k++] = static_cast<char>(f);
            first = false;
          }
        }
      }
      if (pad) {  // 4-byte alignment filler after the last block
        out.index.push_back(0);
        out.flags[k++] = static_cast<char>(v1::BIN_FLAG_NULL | v1::BIN_FLAG_INVALID);
      }
      break;
    }
  }
  if (rx.first_word_invalid) {
    for (std::size_t i = 0; i < 2 && i < n_pairs; ++i) out.flags[i] = static_cast<char>(out.flags[i] | v1::BIN_FLAG_INVALID);
  }
  return out;
}

EspLayout esp_unknown_layout(std::size_t n_pairs, bool first_word_invalid) {
  EspLayout out;
  out.flags.assign(n_pairs, '\0');
  if (first_word_invalid) {
    for (std::size_t i = 0; i < 2 && i < n_pairs; ++i) out.flags[i] = static_cast<char>(v1::BIN_FLAG_INVALID);
  }
  return out;
}

std::optional<EspRxInfo> esp_rx_from_length(std::size_t n_pairs, v1::SecondaryChannel secondary) {
  struct Mode {
    v1::PpduType ppdu;
    std::uint32_t bw;
    bool stbc;
  };
  static constexpr Mode kModes[] = {{v1::PPDU_TYPE_NON_HT, 20, false},
                                    {v1::PPDU_TYPE_HT, 20, false},
                                    {v1::PPDU_TYPE_HT, 20, true},
                                    {v1::PPDU_TYPE_HT, 40, false},
                                    {v1::PPDU_TYPE_HT, 40, true}};
  for (const auto& m : kModes) {
    EspRxInfo rx;
    rx.secondary = secondary;
    rx.ppdu = m.ppdu;
    rx.bandwidth_mhz = m.bw;
    rx.stbc = m.stbc;
    const auto row = classic_row(rx);
    if (row && row->size() == n_pairs) return rx;
  }
  return std::nullopt;
}

std::int32_t esp_grid_offset_mhz(v1::SecondaryChannel secondary) {
  if (secondary == v1::SECONDARY_CHANNEL_ABOVE) return 10;
  if (secondary == v1::SECONDARY_CHANNEL_BELOW) return -10;
  return 0;
}

std::uint32_t wifi_channel_to_mhz(std::uint32_t ch) {
  if (ch >= 1 && ch <= 13) return 2412 + 5 * (ch - 1);
  if (ch == 14) return 2484;
  if (ch >= 36 && ch <= 177) return 5000 + 5 * ch;
  return 0;
}

std::uint32_t wifi_mhz_to_channel(std::uint32_t mhz) {
  if (mhz == 2484) return 14;
  if (mhz >= 2412 && mhz <= 2472 && (mhz - 2412) % 5 == 0) return (mhz - 2412) / 5 + 1;
  if (mhz >= 5180 && mhz <= 5885 && mhz % 5 == 0) return (mhz - 5000) / 5;
  return 0;
}

void apply_esp_layout(v1::CsiFrame& frame, const EspLayout& layout, std::uint32_t primary_mhz) {
  frame.clear_subcarrier_index();
  if (layout.known) {
    frame.mutable_subcarrier_index()->Reserve(static_cast<int>(layout.index.size()));
    for (const auto i : layout.index) frame.add_subcarrier_index(i);
  }
  frame.set_bin_flags(layout.flags);
  frame.set_subcarrier_spacing_hz(layout.spacing_hz);
  const bool centre_known = layout.known && primary_mhz != 0;
  frame.set_center_freq_mhz(centre_known ? static_cast<std::uint32_t>(static_cast<std::int64_t>(primary_mhz) + layout.grid_offset_mhz) : 0);
}

void set_esp_samples(v1::CsiFrame& frame, std::string_view imag_real) {
  std::string* out = frame.mutable_samples();
  out->resize(imag_real.size() & ~std::size_t{1});
  for (std::size_t k = 0; k + 1 < imag_real.size(); k += 2) {
    (*out)[k] = imag_real[k + 1];
    (*out)[k + 1] = imag_real[k];
  }
  frame.set_sample_type(v1::SAMPLE_TYPE_INT8);
  frame.set_scale(1.0);
}

}  // namespace wdp::ingest
