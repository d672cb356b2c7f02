#include "formats/atheros.h"

#include <gtest/gtest.h>

#include "formats/decode_for_test.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

#include "wdp/testing/test_data.h"

namespace wdp::ingest {
namespace {

using testing::Bytes;
using testing::Collected;
using testing::read_file;

Collected decode(const Bytes& data, std::size_t chunk = 0) {
  return testing::decode_chunked(make_atheros_decoder, data, chunk);
}

std::int16_t value(const v1::CsiFrame& f, std::uint32_t rx, std::uint32_t tx, std::uint32_t tone, int part) {
  std::int16_t v;
  std::memcpy(&v, f.samples().data() + ((rx * f.n_tx() + tx) * f.n_bins() + tone) * 4 + 2 * part, 2);
  return v;
}

// The test's own writer of one record (§8.1–8.3).
struct Record {
  bool big = false;
  std::uint64_t tsf = 123456789;
  std::uint16_t mhz = 2437;
  std::uint8_t noise_floor = 0, rate = 0x8F, bandwidth = 0, tones = 56, nr = 3, nc = 2;
  std::uint8_t rssi[4] = {50, 40, 41, 42};
  std::vector<std::int16_t> values;  // stream order: tone, tx, rx, (imag, real)
  Bytes payload = Bytes(30, std::byte{0xAB});
  std::size_t extra_csi = 0;         // padding bytes after the packed values
  bool no_csi = false;
};

Bytes encode(const Record& r) {
  const std::size_t csi_len = r.no_csi ? 0 : atheros_csi_bytes(r.tones, r.nr, r.nc) + r.extra_csi;
  Bytes csi(csi_len);
  std::size_t bit = 0;
  if (!r.no_csi) {
    for (auto v : r.values) {
      for (unsigned k = 0; k < 10; ++k, ++bit) {
        if (static_cast<std::uint16_t>(v) >> k & 1) csi[bit / 8] |= std::byte(1u << (bit % 8));
      }
    }
  }
  Bytes out;
  auto put = [&](std::uint64_t v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t shift = 8 * (r.big ? n - 1 - i : i);
      out.push_back(std::byte((v >> shift) & 0xFF));
    }
  };
  put(kAtherosHeader + csi_len + r.payload.size(), 2);
  put(r.tsf, 8);
  put(csi_len, 2);
  put(r.mhz, 2);
  put(0, 1);  // err_info
  put(r.noise_floor, 1);
  put(r.rate, 1);
  put(r.bandwidth, 1);
  put(r.tones, 1);
  put(r.nr, 1);
  put(r.nc, 1);
  for (auto v : r.rssi) put(v, 1);
  put(r.payload.size(), 2);
  out.insert(out.end(), csi.begin(), csi.end());
  out.insert(out.end(), r.payload.begin(), r.payload.end());
  return out;
}

Record simple(std::uint8_t nr = 3, std::uint8_t nc = 2, std::uint8_t tones = 56) {
  Record r;
  r.nr = nr;
  r.nc = nc;
  r.tones = tones;
  r.bandwidth = tones == 56 ? 0 : 1;
  r.values.resize(std::size_t{tones} * nr * nc * 2);
  for (std::size_t i = 0; i < r.values.size(); ++i) r.values[i] = static_cast<std::int16_t>(int(i % 1024) - 512);
  return r;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// --- the real capture -----------------------------------------------------------------------------

TEST(Atheros, CsireadSampleFramingAndHeader) {
  const auto data = read_file(wdp::testing::csi_test_file("citysu_csiread__ath_csi_1.dat"));
  ASSERT_EQ(data.size(), 764'707u);
  const auto c = decode(data);
  ASSERT_EQ(c.frames.size(), 401u);
  EXPECT_TRUE(c.rejects.empty());
  EXPECT_TRUE(c.skips.empty());
  const auto& f = c.frames[0];  // §8.3 dissection of record 0
  EXPECT_EQ(f.sensor_time_ns(), 1'461'024'888'000);
  EXPECT_EQ(f.channel(), 6u);
  EXPECT_EQ(f.center_freq_mhz(), 2437u);
  EXPECT_EQ(f.bandwidth_mhz(), 20u);
  EXPECT_EQ(f.ppdu_type(), v1::PPDU_TYPE_HT);
  EXPECT_EQ(f.mcs(), 15u);
  EXPECT_EQ(f.n_bins(), 56u);
  EXPECT_EQ(f.n_rx(), 3u);
  EXPECT_EQ(f.n_tx(), 2u);
  EXPECT_EQ(f.sample_type(), v1::SAMPLE_TYPE_INT16_LE);
  EXPECT_EQ(f.samples().size(), 56u * 6 * 4);
  ASSERT_EQ(f.rssi_dbm_size(), 3);
  EXPECT_EQ(f.rssi_dbm(0), 38);  // dB over the (unreported) noise floor, hence not valid as dBm
  EXPECT_EQ(f.rssi_dbm(1), 52);
  EXPECT_EQ(f.rssi_dbm(2), 36);
  EXPECT_FALSE(f.rssi_valid());
  EXPECT_FALSE(f.noise_floor_valid());
  EXPECT_EQ(f.subcarrier_index(0), -28);
  EXPECT_EQ(f.subcarrier_index(27), -1);
  EXPECT_EQ(f.subcarrier_index(28), 1);
  EXPECT_EQ(f.subcarrier_index(55), 28);
  // TSF spans 0.8715 s.
  EXPECT_NEAR(double(c.frames.back().sensor_time_ns() - f.sensor_time_ns()) / 1e9, 0.8715, 0.0005);

  // Values are 10-bit and, in this capture, all within ±425.
  int max_abs = 0;
  for (const auto& fr : c.frames) {
    for (std::size_t i = 0; i < fr.samples().size(); i += 2) {
      std::int16_t v;
      std::memcpy(&v, fr.samples().data() + i, 2);
      max_abs = std::max(max_abs, std::abs(int(v)));
    }
  }
  EXPECT_LE(max_abs, 425);
  EXPECT_GT(max_abs, 100);
}

// Mean |Δ|H|| between neighbouring tones relative to mean |H|, over every (rx, tx) of every frame,
// reading the values in stream position `pos(k, tx, rx)` of the decoded bit stream.
template <class Pos>
double roughness(const std::vector<v1::CsiFrame>& frames, Pos pos) {
  double diff = 0, level = 0;
  for (const auto& f : frames) {
    // Back to stream order: value j of the stream is (tone, tx, rx) = (j / 6, j / 3 % 2, j % 3).
    std::vector<double> amp(f.n_bins() * 6);
    for (std::uint32_t k = 0; k < f.n_bins(); ++k) {
      for (std::uint32_t tx = 0; tx < 2; ++tx) {
        for (std::uint32_t rx = 0; rx < 3; ++rx) {
          amp[(k * 2 + tx) * 3 + rx] = std::hypot(value(f, rx, tx, k, 0), value(f, rx, tx, k, 1));
        }
      }
    }
    for (std::uint32_t tx = 0; tx < 2; ++tx) {
      for (std::uint32_t rx = 0; rx < 3; ++rx) {
        for (std::uint32_t k = 0; k + 1 < f.n_bins(); ++k) {
          diff += std::abs(amp[pos(k + 1, tx, rx)] - amp[pos(k, tx, rx)]);
          level += amp[pos(k, tx, rx)];
        }
      }
    }
  }
  return diff / level;
}

TEST(Atheros, AmplitudeIsSmoothOnlyInToneOuterOrder) {
  const auto c = decode(read_file(wdp::testing::csi_test_file("citysu_csiread__ath_csi_1.dat")));
  ASSERT_EQ(c.frames.size(), 401u);
  const double tone_outer = roughness(c.frames, [](std::uint32_t k, std::uint32_t tx, std::uint32_t rx) {
    return (k * 2 + tx) * 3 + rx;
  });
  const double antenna_outer = roughness(c.frames, [](std::uint32_t k, std::uint32_t tx, std::uint32_t rx) {
    return (rx * 2 + tx) * 56 + k;
  });
  RecordProperty("tone_outer_roughness", std::to_string(tone_outer));
  RecordProperty("antenna_outer_roughness", std::to_string(antenna_outer));
  EXPECT_LT(tone_outer, 0.15);
  EXPECT_LT(tone_outer * 2, antenna_outer);
}

TEST(Atheros, ByteAtATimeEqualsWholeFile) {
  const auto data = read_file(wdp::testing::csi_test_file("citysu_csiread__ath_csi_1.dat"));
  const auto whole = decode(data);
  for (std::size_t chunk : {1u, 26u, 1907u, 65536u}) {
    const auto parts = decode(data, chunk);
    ASSERT_EQ(parts.frames.size(), whole.frames.size()) << "chunk " << chunk;
    EXPECT_TRUE(parts.rejects.empty());
    for (std::size_t i = 0; i < whole.frames.size(); ++i) {
      ASSERT_EQ(parts.frames[i].SerializeAsString(), whole.frames[i].SerializeAsString()) << "chunk " << chunk;
    }
  }
}

TEST(Atheros, TruncatedFileReportsTheTornRecord) {
  const auto data = read_file(wdp::testing::csi_test_file("citysu_csiread__ath_csi_1.dat"));
  const auto c = decode(Bytes(data.begin(), data.end() - 1000), 1);
  EXPECT_EQ(c.frames.size(), 400u);
  ASSERT_EQ(c.rejects.size(), 1u);
  EXPECT_EQ(c.rejects[0].reason, "truncated_payload");
  EXPECT_EQ(c.rejects[0].offset, 400u * 1907);
}

// --- hand-made records ---------------------------------------------------------------------------

TEST(Atheros, BigEndianHeadersAreDetected) {
  auto r = simple();
  r.big = true;
  r.tsf = 0x0102030405060708ull;
  const auto data = cat({encode(r), encode(r)});
  for (std::size_t chunk : {0u, 1u}) {
    const auto c = decode(data, chunk);
    ASSERT_EQ(c.frames.size(), 2u);
    EXPECT_TRUE(c.rejects.empty());
    EXPECT_EQ(c.frames[0].sensor_time_ns(), static_cast<std::int64_t>(0x0102030405060708ull * 1000u));
    EXPECT_EQ(c.frames[0].center_freq_mhz(), 2437u);
  }
}

TEST(Atheros, SkipsRejectsAndResync) {
  auto no_csi = simple();
  no_csi.no_csi = true;
  auto bad_nr = simple();
  bad_nr.nr = 4;
  bad_nr.values.resize(56 * 4 * 2 * 2);
  auto bad_tones = simple();
  bad_tones.tones = 57;
  bad_tones.values.resize(57 * 6 * 2);
  auto bad_bw = simple();
  bad_bw.bandwidth = 1;
  auto short_csi = encode(simple());
  // Claim one CSI byte less than 56·3·2 needs (and one payload byte more, so lengths still add up).
  short_csi[2 + 8] = std::byte{0x47};
  short_csi[2 + 23] = std::byte{31};
  auto bad_sum = encode(simple());
  bad_sum[2 + 23] = std::byte{29};  // payload_len no longer matches field_len
  const Bytes tiny{std::byte{3}, std::byte{0}, std::byte{1}, std::byte{2}, std::byte{3}};
  const auto good = encode(simple());
  const auto data = cat({good, encode(no_csi), encode(bad_nr), encode(bad_tones), encode(bad_bw), short_csi, bad_sum,
                         tiny, good});
  for (std::size_t chunk : {0u, 1u, 7u}) {
    const auto c = decode(data, chunk);
    EXPECT_EQ(c.frames.size(), 2u);
    ASSERT_EQ(c.skips.size(), 1u);
    EXPECT_EQ(c.skips[0].kind, "atheros_no_csi");
    std::vector<std::string> reasons;
    for (const auto& r : c.rejects) reasons.push_back(r.reason);
    EXPECT_EQ(reasons, (std::vector<std::string>{"bad_count", "bad_count", "bad_bandwidth", "bad_length",
                                                 "bad_length", "truncated_header"}));
    ASSERT_FALSE(c.rejects.empty());
    EXPECT_EQ(c.rejects[0].offset, good.size() + encode(no_csi).size());
  }
}

TEST(Atheros, GarbageInOneByteChunksNeverCrashes) {
  std::mt19937 rng(5);
  for (int round = 0; round < 20; ++round) {
    Bytes junk(3000 + round * 131);
    for (auto& b : junk) b = std::byte(rng() & 0xFF);
    if (round % 2) {  // a valid record first fixes the byte order, then garbage
      const auto good = encode(simple());
      junk.insert(junk.begin(), good.begin(), good.end());
    }
    const auto whole = decode(junk);
    const auto bytes = decode(junk, 1);
    EXPECT_EQ(whole.frames.size(), bytes.frames.size());
    EXPECT_EQ(whole.rejects.size(), bytes.rejects.size());
    EXPECT_EQ(whole.skips.size(), bytes.skips.size());
  }
}

// Property: random valid records survive encode → decode in both byte orders.
TEST(Atheros, RoundTripRandomRecords) {
  std::mt19937 rng(99);
  for (int round = 0; round < 200; ++round) {
    Record r;
    r.big = round % 2;
    r.nr = static_cast<std::uint8_t>(1 + rng() % 3);
    r.nc = static_cast<std::uint8_t>(1 + rng() % 3);
    r.bandwidth = static_cast<std::uint8_t>(rng() % 2);
    r.tones = r.bandwidth ? 114 : 56;
    r.mhz = r.bandwidth ? 5180 : 2412;
    r.tsf = (std::uint64_t{rng()} << 20) ^ rng();
    r.rate = static_cast<std::uint8_t>(rng());
    r.noise_floor = static_cast<std::uint8_t>(rng() % 2 ? 0 : 0xA0);
    for (auto& v : r.rssi) v = static_cast<std::uint8_t>(rng() % 70);
    r.extra_csi = rng() % 3;
    r.payload.assign(rng() % 40, std::byte{0});
    for (auto& b : r.payload) b = std::byte(rng() & 0xFF);
    r.values.resize(std::size_t{r.tones} * r.nr * r.nc * 2);
    for (auto& v : r.values) v = static_cast<std::int16_t>(int(rng() % 1024) - 512);
    const auto c = decode(encode(r), 1 + rng() % 100);
    ASSERT_EQ(c.frames.size(), 1u) << "round " << round;
    const auto& f = c.frames[0];
    EXPECT_EQ(f.sensor_time_ns(), static_cast<std::int64_t>(r.tsf * 1000));
    EXPECT_EQ(f.bandwidth_mhz(), r.bandwidth ? 40u : 20u);
    EXPECT_EQ(f.n_bins(), r.tones);
    EXPECT_EQ(f.subcarrier_index(0), r.bandwidth ? -58 : -28);
    EXPECT_EQ(f.subcarrier_index(static_cast<int>(r.tones) - 1), r.bandwidth ? 58 : 28);
    EXPECT_EQ(f.rssi_valid(), r.noise_floor != 0);
    EXPECT_EQ(f.rssi_dbm(0), r.rssi[1] + (r.noise_floor ? -96 : 0));
    if (r.payload.size() >= 16) {
      EXPECT_EQ(f.source_mac().size(), 17u);
    }
    std::size_t j = 0;
    for (std::uint32_t k = 0; k < r.tones; ++k) {
      for (std::uint32_t tx = 0; tx < r.nc; ++tx) {
        for (std::uint32_t rx = 0; rx < r.nr; ++rx, j += 2) {
          ASSERT_EQ(value(f, rx, tx, k, 1), r.values[j]);      // imag first in the stream
          ASSERT_EQ(value(f, rx, tx, k, 0), r.values[j + 1]);
        }
      }
    }
  }
}

}  // namespace
}  // namespace wdp::ingest
