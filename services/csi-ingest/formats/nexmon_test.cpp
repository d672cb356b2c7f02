#include "formats/nexmon.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace wdp::ingest {
namespace {

using Bytes = std::vector<std::byte>;

// A synthetic datagram: header fields as given, bins filled with a counting pattern.
Bytes datagram(std::uint16_t chanspec, std::uint16_t chip, std::size_t n_bins, bool variant = true) {
  Bytes d(kNexmonHeader + 4 * n_bins);
  d[0] = d[1] = std::byte{0x11};
  d[2] = variant ? std::byte{0xC5} : std::byte{0x11};  // RSSI -59 or stock magic
  d[3] = variant ? std::byte{0x88} : std::byte{0x11};
  const std::uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
  std::memcpy(&d[4], mac, 6);
  const std::uint16_t seq = 0x1234, core = 0x0009;
  std::memcpy(&d[10], &seq, 2);
  std::memcpy(&d[12], &core, 2);
  std::memcpy(&d[14], &chanspec, 2);
  std::memcpy(&d[16], &chip, 2);
  for (std::size_t k = 0; k < n_bins; ++k) {
    const auto re = static_cast<std::int16_t>(100 * static_cast<int>(k) - 5000);
    const auto im = static_cast<std::int16_t>(-7 * static_cast<int>(k));
    std::memcpy(&d[kNexmonHeader + 4 * k], &re, 2);
    std::memcpy(&d[kNexmonHeader + 4 * k + 2], &im, 2);
  }
  return d;
}

std::int16_t i16(const std::string& s, std::size_t k) {
  std::int16_t v;
  std::memcpy(&v, s.data() + 2 * k, 2);
  return v;
}

float f32(const std::string& s, std::size_t k) {
  float v;
  std::memcpy(&v, s.data() + 4 * k, 4);
  return v;
}

TEST(Nexmon, Int16FrameFields) {
  const auto d = datagram(0xE02A, 0x0065, 256);
  const auto r = decode_nexmon_udp(d, DecodeContext{"lab-", "", 11, 22});
  ASSERT_EQ(r.kind, DatagramResult::Kind::frame) << r.reject.reason;
  const auto& f = r.frame;
  EXPECT_EQ(f.node_id(), "lab-nexmon");
  EXPECT_EQ(f.source_format(), v1::SOURCE_FORMAT_NEXMON);
  EXPECT_EQ(f.chip(), "bcm43455c0");
  EXPECT_EQ(f.sequence(), 0x123u);
  EXPECT_TRUE(f.has_sequence());
  EXPECT_EQ(f.link_id(), 9u);
  EXPECT_EQ(f.receive_time_ns(), 11);
  EXPECT_EQ(f.receive_mono_ns(), 22);
  EXPECT_EQ(f.sensor_time_ns(), 0);
  EXPECT_EQ(f.n_rx(), 1u);
  EXPECT_EQ(f.n_tx(), 1u);
  EXPECT_EQ(f.n_bins(), 256u);
  EXPECT_EQ(f.sample_type(), v1::SAMPLE_TYPE_INT16_LE);
  ASSERT_EQ(f.samples().size(), 1024u);
  for (std::size_t k = 0; k < 256; ++k) {
    EXPECT_EQ(i16(f.samples(), 2 * k), 100 * static_cast<int>(k) - 5000);
    EXPECT_EQ(i16(f.samples(), 2 * k + 1), -7 * static_cast<int>(k));
  }
  ASSERT_EQ(f.subcarrier_index_size(), 256);
  EXPECT_EQ(f.subcarrier_index(0), 0);
  EXPECT_EQ(f.subcarrier_index(127), 127);
  EXPECT_EQ(f.subcarrier_index(128), -128);
  EXPECT_EQ(f.subcarrier_index(255), -1);
  ASSERT_EQ(f.bin_flags().size(), 256u);
  EXPECT_EQ(f.bin_flags()[0], char(v1::BIN_FLAG_NULL));
  EXPECT_EQ(f.bin_flags()[2], char(v1::BIN_FLAG_NONE));
  EXPECT_EQ(f.bin_flags()[122], char(v1::BIN_FLAG_NONE));
  EXPECT_EQ(f.bin_flags()[123], char(v1::BIN_FLAG_NULL));
  EXPECT_EQ(f.bin_flags()[256 - 122], char(v1::BIN_FLAG_NONE));
  EXPECT_EQ(f.scale(), 1.0);
  ASSERT_EQ(f.rssi_dbm_size(), 1);
  EXPECT_EQ(f.rssi_dbm(0), -59);
  EXPECT_TRUE(f.rssi_valid());
  EXPECT_EQ(f.source_mac(), "02:11:22:33:44:55");
  EXPECT_EQ(f.bandwidth_mhz(), 80u);
  EXPECT_EQ(f.channel(), 36u);
  EXPECT_EQ(f.center_freq_mhz(), 5210u);
  EXPECT_EQ(f.subcarrier_spacing_hz(), 312'500.0);
}

TEST(Nexmon, ChanspecDecoding) {
  struct Case {
    std::uint16_t chanspec;
    std::size_t nfft;
    std::uint32_t bw, channel, centre_mhz;
  };
  for (const auto& c : {Case{0xE06A, 256, 80, 100, 5530}, Case{0xE29B, 256, 80, 157, 5775},
                        Case{0xD826, 128, 40, 36, 5190}, Case{0xD926, 128, 40, 40, 5190},
                        Case{0xD024, 64, 20, 36, 5180}, Case{0x1006, 64, 20, 6, 2437},
                        Case{0x100E, 64, 20, 14, 2484}}) {
    const auto r = decode_nexmon_udp(datagram(c.chanspec, 0x0065, c.nfft), {});
    ASSERT_EQ(r.kind, DatagramResult::Kind::frame) << std::hex << c.chanspec << " " << r.reject.reason;
    EXPECT_EQ(r.frame.bandwidth_mhz(), c.bw) << std::hex << c.chanspec;
    EXPECT_EQ(r.frame.channel(), c.channel) << std::hex << c.chanspec;
    EXPECT_EQ(r.frame.center_freq_mhz(), c.centre_mhz) << std::hex << c.chanspec;
    EXPECT_EQ(r.frame.n_bins(), c.nfft);
  }
  EXPECT_EQ(decode_nexmon_udp(datagram(0xD826, 0x0065, 128), {}).frame.secondary_channel(),
            v1::SECONDARY_CHANNEL_ABOVE);
  EXPECT_EQ(decode_nexmon_udp(datagram(0xD926, 0x0065, 128), {}).frame.secondary_channel(),
            v1::SECONDARY_CHANNEL_BELOW);
}

TEST(Nexmon, StockHeaderHasNoRssi) {
  const auto r = decode_nexmon_udp(datagram(0xE02A, 0x0001, 256, false), {});
  ASSERT_EQ(r.kind, DatagramResult::Kind::frame);
  EXPECT_EQ(r.frame.chip(), "bcm4339");
  EXPECT_EQ(r.frame.rssi_dbm_size(), 0);
  EXPECT_FALSE(r.frame.rssi_valid());
}

TEST(Nexmon, CaptureTimeBecomesEpochSensorTime) {
  const auto r = decode_nexmon_udp(datagram(0xE02A, 0x0065, 256), {}, 1'600'957'690'123'456'000);
  ASSERT_EQ(r.kind, DatagramResult::Kind::frame);
  EXPECT_EQ(r.frame.sensor_time_ns(), 1'600'957'690'123'456'000);
  EXPECT_TRUE(r.frame.sensor_time_is_epoch());
}

TEST(Nexmon, Rejects) {
  auto reason = [](const Bytes& d) {
    const auto r = decode_nexmon_udp(d, {});
    return r.kind == DatagramResult::Kind::reject ? r.reject.reason : std::string("accepted");
  };
  const auto good = datagram(0xE02A, 0x0065, 256);
  EXPECT_EQ(reason(good), "accepted");
  EXPECT_EQ(reason(Bytes(good.begin(), good.begin() + 17)), "truncated_header");
  EXPECT_EQ(reason(Bytes()), "truncated_header");
  EXPECT_EQ(reason(Bytes(good.begin(), good.end() - 1)), "truncated_payload");
  auto longer = good;  // the 43455c0's 1028-byte CSI sections
  longer.resize(good.size() + 4);
  EXPECT_EQ(reason(longer), "bad_length");
  auto magic = good;
  magic[1] = std::byte{0x12};
  EXPECT_EQ(reason(magic), "bad_magic");
  auto chip = good;
  chip[16] = std::byte{0x99};
  EXPECT_EQ(reason(chip), "unknown_chip");
  EXPECT_EQ(reason(datagram(0xE82A, 0x0065, 256)), "bad_chanspec");  // 160 MHz
  EXPECT_EQ(reason(datagram(0xC02A, 0x0065, 256)), "bad_chanspec");  // no bandwidth bits
  EXPECT_EQ(reason(datagram(0xE02A, 0x0065, 64)), "truncated_payload");  // 80 MHz needs 256 bins
}

// Packs one bin as the 4358/4366c0 firmware does (§7.5).
std::uint32_t pack(int e, std::uint32_t re_mag, bool re_neg, std::uint32_t im_mag, bool im_neg, unsigned nman,
                   unsigned nexp) {
  std::uint32_t w = static_cast<std::uint32_t>(e) & ((1u << nexp) - 1);
  w |= im_mag << nexp;
  w |= std::uint32_t{im_neg} << (nexp + nman - 1);
  w |= re_mag << (nexp + nman);
  w |= std::uint32_t{re_neg} << (nexp + 2 * nman - 1);
  return w;
}

TEST(Nexmon, PackedFloatIsNormalisedPerPacket) {
  for (const auto& [chip, nman, nexp] : {std::tuple{std::uint16_t{0xE834}, 12u, 6u}, std::tuple{std::uint16_t{0x0003}, 9u, 5u}}) {
    auto d = datagram(0xD024, chip, 64);
    std::vector<std::uint32_t> words(64, 0);  // all zero bins
    words[1] = pack(0, 3, false, 1, true, nman, nexp);    // top bit of 3 at e + 1 = 1: maxbit 1, shift 9
    words[2] = pack(-2, 5, true, 0, false, nman, nexp);   // s = 7: 5 << 7
    words[3] = pack(-12, 255, false, 7, false, nman, nexp);  // s = -3: 255 >> 3, 7 >> 3
    words[4] = pack(-15, 200, false, 0, false, nman, nexp);  // s = -6
    words[5] = pack(-30 + int(nexp == 5) * 14, 7, false, 7, true, nman, nexp);  // s < -nman: zero
    std::memcpy(&d[kNexmonHeader], words.data(), 256);
    const auto r = decode_nexmon_udp(d, {});
    ASSERT_EQ(r.kind, DatagramResult::Kind::frame) << r.reject.reason;
    const auto& f = r.frame;
    EXPECT_EQ(f.sample_type(), v1::SAMPLE_TYPE_FLOAT32_LE);
    ASSERT_EQ(f.samples().size(), 64u * 8);
    EXPECT_EQ(f32(f.samples(), 0), 0.0f);
    EXPECT_EQ(f32(f.samples(), 2), 1536.0f);
    EXPECT_EQ(f32(f.samples(), 3), -512.0f);
    EXPECT_EQ(f32(f.samples(), 4), -640.0f);
    EXPECT_EQ(f32(f.samples(), 5), 0.0f);
    EXPECT_EQ(f32(f.samples(), 6), 31.0f);
    EXPECT_EQ(f32(f.samples(), 7), 0.0f);
    EXPECT_EQ(f32(f.samples(), 8), 3.0f);
    EXPECT_EQ(f32(f.samples(), 10), 0.0f);
    EXPECT_EQ(f32(f.samples(), 11), 0.0f);
  }
}

TEST(Nexmon, PackedFloatAllZeroAndExtremeExponents) {
  auto d = datagram(0xD024, 0xE834, 64);
  std::vector<std::uint32_t> words(64, 0);
  for (std::size_t k = 0; k < 64; ++k) words[k] = pack(k % 2 ? 31 : -32, 0, k % 3 == 0, 0, true, 12, 6);
  std::memcpy(&d[kNexmonHeader], words.data(), 256);
  const auto r = decode_nexmon_udp(d, {});
  ASSERT_EQ(r.kind, DatagramResult::Kind::frame);
  for (std::size_t k = 0; k < 128; ++k) EXPECT_EQ(f32(r.frame.samples(), k), 0.0f);
  // Largest exponent with the largest magnitude still lands at bit 10.
  words.assign(64, 0);
  words[0] = pack(31, 2047, true, 2047, false, 12, 6);
  words[1] = pack(-32, 2047, false, 1, false, 12, 6);
  std::memcpy(&d[kNexmonHeader], words.data(), 256);
  const auto m = decode_nexmon_udp(d, {});
  EXPECT_EQ(f32(m.frame.samples(), 0), -2047.0f);
  EXPECT_EQ(f32(m.frame.samples(), 1), 2047.0f);
  EXPECT_EQ(f32(m.frame.samples(), 2), 0.0f);
}

TEST(Nexmon, RandomBytesNeverCrash) {
  std::mt19937 rng(3);
  const std::size_t sizes[] = {0, 1, 17, 18, 19, 274, 530, 1042, 1046};
  for (int round = 0; round < 2000; ++round) {
    Bytes d(sizes[rng() % 9]);
    for (auto& b : d) b = std::byte(rng() & 0xFF);
    if (d.size() >= 18 && round % 2) {
      d[0] = d[1] = std::byte{0x11};
      const std::uint16_t chips[] = {0x0065, 0xDEAD, 0x006A, 0x0001};
      std::memcpy(&d[16], &chips[rng() % 4], 2);
    }
    const auto r = decode_nexmon_udp(d, {});
    if (r.kind == DatagramResult::Kind::frame) {
      EXPECT_EQ(d.size(), 18 + 4 * r.frame.n_bins());
    }
  }
}

}  // namespace
}  // namespace wdp::ingest
