#include "formats/esp32_layout.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wdp::ingest {
namespace {

using v1::BIN_FLAG_FIELD_HTLTF;
using v1::BIN_FLAG_FIELD_STBC_HTLTF;
using v1::BIN_FLAG_INVALID;
using v1::BIN_FLAG_NULL;
using v1::BIN_FLAG_PILOT;

std::uint8_t flag(const EspLayout& l, std::size_t i) { return static_cast<std::uint8_t>(l.flags.at(i)); }

std::vector<std::int32_t> range(int lo, int hi) {
  std::vector<std::int32_t> v;
  for (int i = lo; i <= hi; ++i) v.push_back(i);
  return v;
}

std::vector<std::int32_t> concat(std::initializer_list<std::vector<std::int32_t>> parts) {
  std::vector<std::int32_t> v;
  for (const auto& p : parts) v.insert(v.end(), p.begin(), p.end());
  return v;
}

EspRxInfo rx(v1::SecondaryChannel sec, v1::PpduType ppdu, std::uint32_t bw, bool stbc, EspChip chip = EspChip::classic) {
  EspRxInfo r;
  r.chip = chip;
  r.secondary = sec;
  r.ppdu = ppdu;
  r.bandwidth_mhz = bw;
  r.stbc = stbc;
  return r;
}

TEST(Esp32Layout, ClassicNonHtTwentyIsLegacyToneplanInEspidfOrder) {
  const auto l = esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_NON_HT, 20, false), 64);
  ASSERT_TRUE(l.known);
  EXPECT_EQ(l.index, concat({range(0, 31), range(-32, -1)}));
  EXPECT_EQ(l.grid_offset_mhz, 0);
  std::vector<std::size_t> nulls, pilots;
  for (std::size_t i = 0; i < 64; ++i) {
    if (flag(l, i) & BIN_FLAG_NULL) nulls.push_back(i);
    if (flag(l, i) & BIN_FLAG_PILOT) pilots.push_back(i);
    EXPECT_EQ(flag(l, i) & (BIN_FLAG_FIELD_HTLTF | BIN_FLAG_FIELD_STBC_HTLTF | BIN_FLAG_INVALID), 0);
  }
  // DC at 0, +27..+31 at 27..31, -32..-27 at 32..37: the RuView capture's zero pairs (§2.6).
  const std::vector<std::size_t> want_nulls = {0, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37};
  EXPECT_EQ(nulls, want_nulls);
  EXPECT_EQ(pilots, (std::vector<std::size_t>{7, 21, 64 - 21, 64 - 7}));
}

TEST(Esp32Layout, ClassicHt20StbcMasksCsdAngleAndTagsFields) {
  const auto l = esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HT, 20, true), 192);
  ASSERT_TRUE(l.known);
  const auto block = concat({range(0, 31), range(-32, -1)});
  EXPECT_EQ(l.index, concat({block, block, block}));
  EXPECT_EQ(flag(l, 0), BIN_FLAG_NULL);  // LLTF DC: no CSD angle there
  EXPECT_EQ(flag(l, 64), BIN_FLAG_NULL | BIN_FLAG_INVALID | BIN_FLAG_FIELD_HTLTF);
  EXPECT_EQ(flag(l, 128), BIN_FLAG_NULL | BIN_FLAG_INVALID | BIN_FLAG_FIELD_STBC_HTLTF);
  // HT20 occupies ±28: index 28 is data in HT-LTF, guard in LLTF.
  EXPECT_EQ(flag(l, 28), BIN_FLAG_NULL);
  EXPECT_EQ(flag(l, 64 + 28), BIN_FLAG_FIELD_HTLTF);
  EXPECT_EQ(flag(l, 64 + 29), BIN_FLAG_FIELD_HTLTF | BIN_FLAG_NULL);
  EXPECT_EQ(flag(l, 128 + 7), BIN_FLAG_FIELD_STBC_HTLTF | BIN_FLAG_PILOT);
}

TEST(Esp32Layout, ClassicBelowHt40MatchesEspressifCaptureLayout) {
  auto r = rx(v1::SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_HT, 40, false);
  r.first_word_invalid = true;
  const auto l = esp_layout(r, 192);
  ASSERT_TRUE(l.known);
  EXPECT_EQ(l.index, concat({range(0, 63), range(0, 63), range(-64, -1)}));
  EXPECT_EQ(l.grid_offset_mhz, -10);
  EXPECT_TRUE(flag(l, 0) & BIN_FLAG_INVALID);
  EXPECT_TRUE(flag(l, 1) & BIN_FLAG_INVALID);
  EXPECT_FALSE(flag(l, 2) & BIN_FLAG_INVALID);
  // The LLTF sits on the primary (upper) half, centred at +32: zero pairs 2–4 and 60–63 of the
  // capture are guards, as are the edge pairs 5 and 59 and the primary's DC at 32.
  for (std::size_t i : {2, 3, 4, 5, 32, 59, 60, 61, 62, 63}) EXPECT_TRUE(flag(l, i) & BIN_FLAG_NULL) << i;
  for (std::size_t i : {6, 31, 33, 58}) EXPECT_FALSE(flag(l, i) & BIN_FLAG_NULL) << i;
  EXPECT_TRUE(flag(l, 32 + 7) & BIN_FLAG_PILOT);
  // HT-LTF on the 40 MHz grid: DC ±1 null, ±2..±58 occupied, pilots ±11, ±25, ±53.
  for (std::size_t i : {64, 65, 191, 64 + 59, 128}) EXPECT_TRUE(flag(l, i) & BIN_FLAG_NULL) << i;
  for (std::size_t i : {66, 64 + 58, 128 + 6, 190}) EXPECT_FALSE(flag(l, i) & BIN_FLAG_NULL) << i;
  for (int idx : {11, 25, 53, -11, -25, -53}) {
    const auto pos = 64 + static_cast<std::size_t>(idx >= 0 ? idx : 128 + idx);
    EXPECT_EQ(flag(l, pos), BIN_FLAG_PILOT | BIN_FLAG_FIELD_HTLTF) << idx;
  }
  EXPECT_EQ(std::count_if(l.flags.begin() + 64, l.flags.end(), [](char c) { return !(c & BIN_FLAG_NULL); }), 114);
}

TEST(Esp32Layout, ClassicTableLengthsAndIndexRanges) {
  struct Case {
    v1::SecondaryChannel sec;
    v1::PpduType ppdu;
    std::uint32_t bw;
    bool stbc;
    std::size_t pairs;
  };
  using enum v1::SecondaryChannel;
  const Case cases[] = {
      {SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_NON_HT, 20, false, 64},
      {SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HT, 20, false, 128},
      {SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HT, 20, true, 192},
      {SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_NON_HT, 20, false, 64},
      {SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_HT, 20, false, 128},
      {SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_HT, 20, true, 190},
      {SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_HT, 40, false, 192},
      {SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_HT, 40, true, 306},
      {SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_NON_HT, 20, false, 64},
      {SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_HT, 20, false, 128},
      {SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_HT, 20, true, 188},
      {SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_HT, 40, false, 192},
      {SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_HT, 40, true, 306},
  };
  for (const auto& c : cases) {
    const auto l = esp_layout(rx(c.sec, c.ppdu, c.bw, c.stbc), c.pairs);
    EXPECT_TRUE(l.known) << c.pairs;
    EXPECT_EQ(l.index.size(), c.pairs);
    EXPECT_EQ(l.flags.size(), c.pairs);
    for (const auto i : l.index) {
      EXPECT_GE(i, c.sec == SECONDARY_CHANNEL_NONE ? -32 : -64);
      EXPECT_LE(i, c.sec == SECONDARY_CHANNEL_NONE ? 31 : 63);
    }
    const auto from_len = esp_rx_from_length(c.pairs, c.sec);
    ASSERT_TRUE(from_len.has_value()) << c.pairs;
    EXPECT_EQ(from_len->ppdu, c.ppdu);
    EXPECT_EQ(from_len->bandwidth_mhz, c.bw);
    EXPECT_EQ(from_len->stbc, c.stbc);
  }
  const auto above = esp_layout(rx(SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_HT, 20, true), 188);
  EXPECT_EQ(above.index, concat({range(-64, -1), range(-62, -1), range(-62, -1)}));
  EXPECT_EQ(above.grid_offset_mhz, 10);
  EXPECT_TRUE(static_cast<std::uint8_t>(above.flags[64]) & BIN_FLAG_INVALID);  // CSD angle
  const auto stbc40 = esp_layout(rx(SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_HT, 40, true), 306);
  EXPECT_EQ(stbc40.index, concat({range(0, 63), range(0, 60), range(-60, -1), range(0, 60), range(-60, -1)}));
}

TEST(Esp32Layout, LengthOnlyPickIsUnknownWhereNoRowFits) {
  EXPECT_FALSE(esp_rx_from_length(306, v1::SECONDARY_CHANNEL_NONE).has_value());
  EXPECT_FALSE(esp_rx_from_length(4, v1::SECONDARY_CHANNEL_NONE).has_value());
  EXPECT_FALSE(esp_rx_from_length(190, v1::SECONDARY_CHANNEL_ABOVE).has_value());
  const auto l = esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HT, 20, false), 100);
  EXPECT_FALSE(l.known);
  EXPECT_TRUE(l.index.empty());
  EXPECT_EQ(l.flags, std::string(100, '\0'));
  const auto u = esp_unknown_layout(3, true);
  EXPECT_EQ(u.flags, std::string({char(BIN_FLAG_INVALID), char(BIN_FLAG_INVALID), 0}));
}

TEST(Esp32Layout, DisabledFieldsAndAlignmentPad) {
  // ESP-IDF's example: STBC-HT-LTF only, above/HT40/STBC: (61 + 60) pairs + one pad pair.
  const auto l = esp_layout(rx(v1::SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_HT, 40, true), 122);
  ASSERT_TRUE(l.known);
  EXPECT_EQ(l.index, concat({range(0, 60), range(-60, -1), {0}}));
  EXPECT_EQ(flag(l, 121), BIN_FLAG_NULL | BIN_FLAG_INVALID);
  EXPECT_TRUE(flag(l, 0) & BIN_FLAG_INVALID);  // CSD angle
  // LLTF + HT-LTF of an STBC packet (STBC-HT-LTF2 disabled).
  const auto m = esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HT, 20, true), 128);
  ASSERT_TRUE(m.known);
  EXPECT_EQ(flag(m, 64), BIN_FLAG_NULL | BIN_FLAG_INVALID | BIN_FLAG_FIELD_HTLTF);
  EXPECT_EQ(flag(m, 127) & BIN_FLAG_FIELD_STBC_HTLTF, 0);
}

TEST(Esp32Layout, C5Table) {
  const auto lltf = esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_NON_HT, 20, false, EspChip::c5), 53);
  ASSERT_TRUE(lltf.known);
  EXPECT_EQ(lltf.index, concat({range(0, 26), range(-26, -1)}));
  EXPECT_EQ(flag(lltf, 0), BIN_FLAG_NULL | BIN_FLAG_INVALID);
  EXPECT_EQ(std::count_if(lltf.flags.begin(), lltf.flags.end(), [](char c) { return c & BIN_FLAG_NULL; }), 1);

  const auto ht = esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HT, 20, true, EspChip::c5), 114);
  ASSERT_TRUE(ht.known);
  EXPECT_EQ(ht.index, concat({range(0, 28), range(-28, -1), range(0, 28), range(-28, -1)}));
  EXPECT_EQ(flag(ht, 57), BIN_FLAG_NULL | BIN_FLAG_INVALID | BIN_FLAG_FIELD_STBC_HTLTF);

  const auto he = esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HE, 20, false, EspChip::c5), 245);
  ASSERT_TRUE(he.known);
  EXPECT_DOUBLE_EQ(he.spacing_hz, 78'125.0);
  EXPECT_EQ(he.index.front(), 0);
  EXPECT_EQ(he.index.back(), -1);
  EXPECT_TRUE(flag(he, 1) & BIN_FLAG_INVALID);
  EXPECT_TRUE(flag(he, 244) & BIN_FLAG_INVALID);
  EXPECT_EQ(flag(he, 2), BIN_FLAG_FIELD_HTLTF);
  EXPECT_TRUE(flag(he, 22) & BIN_FLAG_PILOT);

  const auto ht40 = esp_layout(rx(v1::SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_HT, 40, false, EspChip::c5), 117);
  ASSERT_TRUE(ht40.known);
  EXPECT_EQ(ht40.index, concat({range(0, 58), range(-58, -1)}));
  EXPECT_EQ(ht40.grid_offset_mhz, 10);
  EXPECT_EQ(std::count_if(ht40.flags.begin(), ht40.flags.end(), [](char c) { return c & BIN_FLAG_NULL; }), 3);

  // ESP-IDF's "0~52" labels for 20 MHz packets next to a secondary channel are left unmapped.
  EXPECT_FALSE(esp_layout(rx(v1::SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_HT, 20, false, EspChip::c5), 57).known);
}

TEST(Esp32Layout, C6SingleBlockMatchesObservedNulls) {
  const auto l = esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HT, 20, false, EspChip::c6), 64);
  ASSERT_TRUE(l.known);
  EXPECT_EQ(l.index, range(-32, 31));
  std::vector<std::size_t> nulls;
  for (std::size_t i = 0; i < 64; ++i) {
    if (flag(l, i) & BIN_FLAG_NULL) nulls.push_back(i);
  }
  EXPECT_EQ(nulls, (std::vector<std::size_t>{0, 1, 2, 3, 32, 61, 62, 63}));  // §2.6, verified on espectre C6 data
  EXPECT_FALSE(esp_layout(rx(v1::SECONDARY_CHANNEL_NONE, v1::PPDU_TYPE_HT, 20, false, EspChip::c6), 128).known);
}

TEST(Esp32Layout, FrameGetsGridCentreAndIndices) {
  v1::CsiFrame f;
  const auto l = esp_layout(rx(v1::SECONDARY_CHANNEL_BELOW, v1::PPDU_TYPE_HT, 40, false), 192);
  apply_esp_layout(f, l, wifi_channel_to_mhz(13));
  EXPECT_EQ(f.center_freq_mhz(), 2462u);  // 40 MHz grid centred 10 MHz below the primary
  EXPECT_EQ(f.subcarrier_index_size(), 192);
  EXPECT_EQ(f.bin_flags().size(), 192u);
  EXPECT_DOUBLE_EQ(f.subcarrier_spacing_hz(), 312'500.0);
  apply_esp_layout(f, esp_layout(rx(v1::SECONDARY_CHANNEL_ABOVE, v1::PPDU_TYPE_HT, 20, false), 128), 5180);
  EXPECT_EQ(f.center_freq_mhz(), 5190u);
  apply_esp_layout(f, esp_unknown_layout(10, false), 2437);
  EXPECT_EQ(f.center_freq_mhz(), 0u);
  EXPECT_EQ(f.subcarrier_index_size(), 0);
  EXPECT_EQ(f.bin_flags().size(), 10u);
}

TEST(Esp32Layout, ChannelFrequencies) {
  EXPECT_EQ(wifi_channel_to_mhz(1), 2412u);
  EXPECT_EQ(wifi_channel_to_mhz(13), 2472u);
  EXPECT_EQ(wifi_channel_to_mhz(14), 2484u);
  EXPECT_EQ(wifi_channel_to_mhz(36), 5180u);
  EXPECT_EQ(wifi_channel_to_mhz(0), 0u);
  EXPECT_EQ(wifi_channel_to_mhz(15), 0u);
  for (std::uint32_t ch : {1u, 6u, 13u, 14u, 36u, 149u, 177u}) EXPECT_EQ(wifi_mhz_to_channel(wifi_channel_to_mhz(ch)), ch);
}

}  // namespace
}  // namespace wdp::ingest
