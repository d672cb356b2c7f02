#include "formats/intel5300.h"

#include <gtest/gtest.h>

#include "formats/decode_for_test.h"

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "wdp/testing/test_data.h"

namespace wdp::ingest {
namespace {

using testing::Bytes;
using testing::Collected;
using testing::read_file;

// Decodes `data` fed in chunks of `chunk` bytes (0 = all at once).
Collected decode(const Bytes& data, std::size_t chunk = 0) {
  return testing::decode_chunked(make_intel5300_decoder, data, chunk);
}

std::int8_t sample(const v1::CsiFrame& f, std::uint32_t row, std::uint32_t tx, std::uint32_t bin, int part) {
  return static_cast<std::int8_t>(f.samples()[((row * f.n_tx() + tx) * f.n_bins() + bin) * 2 + part]);
}

// A bfee record written from its fields: the test's own encoder of §6.1–6.3.
struct Bfee {
  std::uint32_t timestamp_low = 1000;
  std::uint16_t bfee_count = 1;
  std::uint8_t n_rx = 3, n_tx = 1;
  std::uint8_t rssi[3] = {30, 31, 32};
  std::int8_t noise = -90;
  std::uint8_t agc = 20;
  std::uint8_t antenna_sel = 0b100100;  // identity: perm 0, 1, 2
  std::uint16_t rate = 0x0100;
  std::vector<std::int8_t> raw;  // [chain][tx][group] (re, im), before permutation
  std::uint8_t group_header_bits = 0;
};

Bytes encode(const Bfee& b) {
  const std::size_t len = intel5300_payload_len(b.n_rx, b.n_tx);
  Bytes payload(len);
  std::size_t bit = 0;
  auto put = [&](std::uint32_t value, unsigned n) {
    for (unsigned k = 0; k < n; ++k, ++bit) {
      if (value >> k & 1) payload[bit / 8] |= std::byte(1u << (bit % 8));
    }
  };
  for (std::uint32_t sc = 0; sc < 30; ++sc) {
    put(b.group_header_bits, 3);
    for (std::uint32_t rx = 0; rx < b.n_rx; ++rx) {
      for (std::uint32_t tx = 0; tx < b.n_tx; ++tx) {
        const std::size_t k = ((rx * b.n_tx + tx) * 30 + sc) * 2;
        put(static_cast<std::uint8_t>(b.raw[k]), 8);
        put(static_cast<std::uint8_t>(b.raw[k + 1]), 8);
      }
    }
  }
  const std::size_t field_len = 1 + 20 + len;
  Bytes r(2 + field_len);
  r[0] = std::byte(field_len >> 8);
  r[1] = std::byte(field_len & 0xFF);
  r[2] = std::byte{0xBB};
  std::memcpy(&r[3], &b.timestamp_low, 4);
  std::memcpy(&r[7], &b.bfee_count, 2);
  r[11] = std::byte(b.n_rx);
  r[12] = std::byte(b.n_tx);
  for (int i = 0; i < 3; ++i) r[13 + i] = std::byte(b.rssi[i]);
  r[16] = std::byte(static_cast<std::uint8_t>(b.noise));
  r[17] = std::byte(b.agc);
  r[18] = std::byte(b.antenna_sel);
  const auto len16 = static_cast<std::uint16_t>(len);
  std::memcpy(&r[19], &len16, 2);
  std::memcpy(&r[21], &b.rate, 2);
  std::memcpy(&r[23], payload.data(), len);
  return r;
}

Bfee simple(std::uint8_t n_rx, std::uint8_t n_tx, std::int8_t base = 1) {
  Bfee b;
  b.n_rx = n_rx;
  b.n_tx = n_tx;
  b.raw.resize(std::size_t{n_rx} * n_tx * 60);
  for (std::size_t i = 0; i < b.raw.size(); ++i) b.raw[i] = static_cast<std::int8_t>(base + static_cast<int>(i % 50));
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// --- the real capture against the MATLAB golden decode -------------------------------------------

struct GoldenRow {
  int frame;
  std::uint32_t timestamp_low;
  int bfee_count, n_rx, n_tx, rssi[3], noise, agc, perm[3], rate, tx, rx, sc, re, im;
  double scaled_re, scaled_im;
};

std::vector<GoldenRow> read_golden(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<GoldenRow> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    for (auto& ch : line) {
      if (ch == ',') ch = ' ';
    }
    std::istringstream s(line);
    GoldenRow r{};
    s >> r.frame >> r.timestamp_low >> r.bfee_count >> r.n_rx >> r.n_tx >> r.rssi[0] >> r.rssi[1] >> r.rssi[2] >>
        r.noise >> r.agc >> r.perm[0] >> r.perm[1] >> r.perm[2] >> r.rate >> r.tx >> r.rx >> r.sc >> r.re >> r.im >>
        r.scaled_re >> r.scaled_im;
    if (!s) ADD_FAILURE() << "unparsable golden row: " << line;
    rows.push_back(r);
  }
  return rows;
}

TEST(Intel5300, GoldenExampleRawExactScaledWithin1e9) {
  const auto data = read_file(wdp::testing::csi_test_file("Gi-z_CSIKit__example.dat"));
  const auto golden = read_golden(wdp::testing::csi_test_file("Gi-z_CSIKit__example.dat.golden.csv"));
  ASSERT_EQ(data.size(), 10'270u);
  ASSERT_EQ(golden.size(), 4'680u);
  const auto c = decode(data);
  ASSERT_EQ(c.frames.size(), 26u);
  EXPECT_TRUE(c.rejects.empty());
  EXPECT_TRUE(c.skips.empty());
  double worst = 0;
  for (const auto& g : golden) {
    ASSERT_LT(g.frame, 26);
    const auto& f = c.frames[static_cast<std::size_t>(g.frame)];
    SCOPED_TRACE("frame " + std::to_string(g.frame) + " tx " + std::to_string(g.tx) + " rx " + std::to_string(g.rx) +
                 " sc " + std::to_string(g.sc));
    ASSERT_EQ(f.n_rx(), static_cast<std::uint32_t>(g.n_rx));
    ASSERT_EQ(f.n_tx(), static_cast<std::uint32_t>(g.n_tx));
    ASSERT_EQ(f.n_bins(), 30u);
    EXPECT_EQ(f.sequence(), static_cast<std::uint64_t>(g.bfee_count));
    EXPECT_EQ(f.sensor_time_ns(), std::int64_t{g.timestamp_low} * 1000);
    EXPECT_EQ(f.agc_gain(), static_cast<std::uint32_t>(g.agc));
    EXPECT_TRUE(f.noise_floor_valid());
    EXPECT_EQ(f.noise_floor_dbm(), g.noise);
    EXPECT_EQ(f.mcs(), static_cast<std::uint32_t>(g.rate & 0x7F));
    ASSERT_EQ(f.antenna_permutation_size(), 3);
    ASSERT_EQ(f.rssi_dbm_size(), 3);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(f.antenna_permutation(i), static_cast<std::uint32_t>(g.perm[i] - 1));
      EXPECT_EQ(f.rssi_dbm(g.perm[i] - 1), g.rssi[i] - 44 - g.agc);  // chain i sits at row perm[i]
    }
    const auto row = static_cast<std::uint32_t>(g.rx), tx = static_cast<std::uint32_t>(g.tx),
               sc = static_cast<std::uint32_t>(g.sc);
    EXPECT_EQ(sample(f, row, tx, sc, 0), g.re);
    EXPECT_EQ(sample(f, row, tx, sc, 1), g.im);
    const double dre = std::abs(sample(f, row, tx, sc, 0) * f.scale() - g.scaled_re);
    const double dim = std::abs(sample(f, row, tx, sc, 1) * f.scale() - g.scaled_im);
    EXPECT_LE(dre, 1e-9);
    EXPECT_LE(dim, 1e-9);
    worst = std::max({worst, dre, dim});
  }
  std::ostringstream w;
  w << std::scientific << worst;
  RecordProperty("worst_scaled_error", w.str());
  EXPECT_LT(worst, 1e-12);  // the doc reports ~1.4e-14 between independent implementations
}

TEST(Intel5300, FirstRecordMatchesTheWorkedExample) {
  const auto c = decode(read_file(wdp::testing::csi_test_file("Gi-z_CSIKit__example.dat")));
  ASSERT_FALSE(c.frames.empty());
  const auto& f = c.frames[0];
  EXPECT_EQ(f.sequence(), 5535u);
  EXPECT_EQ(f.sensor_time_ns(), 2'238'735'549'000);
  EXPECT_FALSE(f.sensor_time_is_epoch());
  EXPECT_EQ(f.source_format(), v1::SOURCE_FORMAT_INTEL5300);
  EXPECT_EQ(f.sample_type(), v1::SAMPLE_TYPE_INT8);
  EXPECT_EQ(f.bandwidth_mhz(), 20u);
  EXPECT_EQ(f.ppdu_type(), v1::PPDU_TYPE_HT);
  EXPECT_EQ(f.mcs(), 13u);
  EXPECT_NEAR(f.scale(), 0.5695650758192121, 1e-15);
  // antenna_sel 6 → perm (2, 1, 0): raw chain 0 is row 2, chain 2 is row 0.
  EXPECT_EQ(sample(f, 2, 0, 0, 0), 9);
  EXPECT_EQ(sample(f, 2, 0, 0, 1), 37);
  EXPECT_EQ(sample(f, 2, 1, 0, 0), 29);
  EXPECT_EQ(sample(f, 2, 1, 0, 1), 5);
  EXPECT_EQ(sample(f, 1, 0, 0, 0), 1);
  EXPECT_EQ(sample(f, 1, 0, 0, 1), -21);
  EXPECT_EQ(sample(f, 0, 0, 0, 0), 11);
  EXPECT_EQ(sample(f, 0, 0, 0, 1), -1);
  EXPECT_EQ(sample(f, 0, 1, 0, 0), 18);
  EXPECT_EQ(sample(f, 0, 1, 0, 1), -26);
  const std::vector<std::int32_t> want{-28, -26, -24, -22, -20, -18, -16, -14, -12, -10, -8, -6, -4, -2, -1,
                                       1,   3,   5,   7,   9,   11,  13,  15,  17,  19,  21,  23, 25, 27, 28};
  EXPECT_EQ(std::vector<std::int32_t>(f.subcarrier_index().begin(), f.subcarrier_index().end()), want);
  // bfee_count runs 5535–5560 without gaps.
  for (std::size_t i = 0; i < c.frames.size(); ++i) EXPECT_EQ(c.frames[i].sequence(), 5535u + i);
}

TEST(Intel5300, ByteAtATimeEqualsWholeFile) {
  const auto data = read_file(wdp::testing::csi_test_file("Gi-z_CSIKit__example.dat"));
  const auto whole = decode(data);
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 396u, 397u, 4096u}) {
    const auto parts = decode(data, chunk);
    ASSERT_EQ(parts.frames.size(), whole.frames.size()) << "chunk " << chunk;
    EXPECT_TRUE(parts.rejects.empty());
    for (std::size_t i = 0; i < whole.frames.size(); ++i) {
      EXPECT_EQ(parts.frames[i].SerializeAsString(), whole.frames[i].SerializeAsString()) << "chunk " << chunk;
    }
  }
}

TEST(Intel5300, TruncatedFinalRecordIsRejectedWithItsOffset) {
  const auto data = read_file(wdp::testing::csi_test_file("Gi-z_CSIKit__example.dat"));
  const Bytes cut(data.begin(), data.end() - 100);
  for (std::size_t chunk : {0u, 1u}) {
    const auto c = decode(cut, chunk);
    EXPECT_EQ(c.frames.size(), 25u);
    ASSERT_EQ(c.rejects.size(), 1u);
    EXPECT_EQ(c.rejects[0].reason, "truncated_payload");
    EXPECT_EQ(c.rejects[0].offset, 25u * 395u);
  }
  const Bytes header_only(data.begin(), data.begin() + 395 + 10);
  const auto h = decode(header_only, 1);
  EXPECT_EQ(h.frames.size(), 1u);
  ASSERT_EQ(h.rejects.size(), 1u);
  EXPECT_EQ(h.rejects[0].reason, "truncated_header");
  EXPECT_EQ(h.rejects[0].offset, 395u);
}

// --- hand-made records ---------------------------------------------------------------------------

TEST(Intel5300, NonCsiRecordsAreSkippedByLength) {
  const Bytes c1{std::byte{0}, std::byte{4}, std::byte{0xC1}, std::byte{1}, std::byte{2}, std::byte{3}};
  const auto data = cat({c1, encode(simple(3, 1)), c1});
  for (std::size_t chunk : {0u, 1u}) {
    const auto c = decode(data, chunk);
    EXPECT_EQ(c.frames.size(), 1u);
    EXPECT_TRUE(c.rejects.empty());
    ASSERT_EQ(c.skips.size(), 2u);
    EXPECT_EQ(c.skips[0].kind, "intel5300_non_csi_record");
  }
}

TEST(Intel5300, BadRecordsAreRejectedAndTheStreamContinues) {
  auto bad_len = encode(simple(3, 2));
  bad_len[19] = std::byte{0x75};  // len 373 instead of 372
  auto bad_rx = encode(simple(3, 2));
  bad_rx[11] = std::byte{4};  // Nrx 4
  auto bad_tx = encode(simple(3, 2));
  bad_tx[12] = std::byte{0};
  auto short_body = encode(simple(3, 2));
  short_body.resize(3 + 10);
  short_body[0] = std::byte{0};
  short_body[1] = std::byte{11};  // code + 10 body bytes
  auto short_payload = encode(simple(3, 2));
  short_payload.resize(short_payload.size() - 5);
  const std::size_t fl = short_payload.size() - 2;
  short_payload[0] = std::byte(fl >> 8);
  short_payload[1] = std::byte(fl & 0xFF);
  const Bytes empty_field{std::byte{0}, std::byte{0}};
  auto zero = simple(1, 1);
  std::fill(zero.raw.begin(), zero.raw.end(), 0);
  const auto good = encode(simple(2, 3));
  const auto data =
      cat({bad_len, good, bad_rx, bad_tx, short_body, short_payload, empty_field, encode(zero), good});
  for (std::size_t chunk : {0u, 1u, 5u}) {
    const auto c = decode(data, chunk);
    EXPECT_EQ(c.frames.size(), 2u);
    std::vector<std::string> reasons;
    for (const auto& r : c.rejects) reasons.push_back(r.reason);
    EXPECT_EQ(reasons, (std::vector<std::string>{"bad_length", "bad_count", "bad_count", "truncated_header",
                                                 "truncated_payload", "bad_length", "zero_power"}));
    ASSERT_EQ(c.rejects.size(), 7u);
    EXPECT_EQ(c.rejects[1].offset, bad_len.size() + good.size());
  }
}

TEST(Intel5300, GarbageInOneByteChunksNeverCrashes) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    Bytes junk(2000 + round * 97);
    for (auto& b : junk) b = std::byte(rng() & 0xFF);
    if (round % 2) {  // make some records look like bfee records
      for (std::size_t i = 2; i < junk.size(); i += 61) junk[i] = std::byte{0xBB};
    }
    const auto whole = decode(junk);
    const auto bytes = decode(junk, 1);
    EXPECT_EQ(whole.frames.size(), bytes.frames.size());
    EXPECT_EQ(whole.rejects.size(), bytes.rejects.size());
    EXPECT_EQ(whole.skips.size(), bytes.skips.size());
  }
}

TEST(Intel5300, NoiseNotMeasuredAnd40MHzIndices) {
  auto b = simple(2, 2);
  b.noise = -127;
  b.rate = 0x0100 | 0x0800 | 5;
  b.antenna_sel = 0b000110;  // a perm for 3 chains; never applied with Nrx = 2
  const auto c = decode(encode(b));
  ASSERT_EQ(c.frames.size(), 1u);
  const auto& f = c.frames[0];
  EXPECT_FALSE(f.noise_floor_valid());
  EXPECT_EQ(f.bandwidth_mhz(), 40u);
  EXPECT_EQ(f.mcs(), 5u);
  EXPECT_EQ(f.subcarrier_index(0), -58);
  EXPECT_EQ(f.subcarrier_index(14), -2);
  EXPECT_EQ(f.subcarrier_index(15), 2);
  EXPECT_EQ(f.subcarrier_index(29), 58);
  EXPECT_EQ(std::vector<std::uint32_t>(f.antenna_permutation().begin(), f.antenna_permutation().end()),
            (std::vector<std::uint32_t>{0, 1}));
  // Thermal noise -92 dBm stands in for "not measured" (§6.6 step 4).
  double pwr = 0;
  for (auto v : b.raw) pwr += double(v) * v;
  const double rss = std::pow(10.0, (10 * std::log10(std::pow(10.0, 3.0) + std::pow(10.0, 3.1) + std::pow(10.0, 3.2)) -
                                     44 - 20) / 10);
  const double scale = rss / (pwr / 30);
  const double want = std::sqrt(scale / (std::pow(10.0, -9.2) + scale * 4)) * std::sqrt(2.0);
  EXPECT_NEAR(f.scale(), want, want * 1e-12);
}

TEST(Intel5300, TimestampLowWrapsForward) {
  auto a = simple(1, 1);
  a.timestamp_low = 0xFFFFFF00u;
  auto b = simple(1, 1);
  b.timestamp_low = 0x00000100u;
  const auto c = decode(cat({encode(a), encode(b)}));
  ASSERT_EQ(c.frames.size(), 2u);
  EXPECT_EQ(c.frames[1].sensor_time_ns() - c.frames[0].sensor_time_ns(), 0x200 * 1000);
}

// Property: any valid record survives encode → decode, with the permutation applied.
TEST(Intel5300, RoundTripRandomRecords) {
  std::mt19937 rng(20240501);
  const std::uint8_t perms[6] = {0b100100, 0b011000, 0b100001, 0b001001, 0b010010, 0b000110};
  for (int round = 0; round < 300; ++round) {
    Bfee b;
    b.n_rx = static_cast<std::uint8_t>(1 + rng() % 3);
    b.n_tx = static_cast<std::uint8_t>(1 + rng() % 3);
    b.timestamp_low = static_cast<std::uint32_t>(rng());
    b.bfee_count = static_cast<std::uint16_t>(rng());
    for (auto& r : b.rssi) r = static_cast<std::uint8_t>(1 + rng() % 60);
    b.noise = static_cast<std::int8_t>(-100 + static_cast<int>(rng() % 40));
    b.agc = static_cast<std::uint8_t>(rng() % 64);
    b.antenna_sel = perms[rng() % 6];
    b.rate = static_cast<std::uint16_t>(rng() & 0xFFFF);
    b.group_header_bits = static_cast<std::uint8_t>(rng() & 7);
    b.raw.resize(std::size_t{b.n_rx} * b.n_tx * 60);
    for (auto& v : b.raw) v = static_cast<std::int8_t>(rng() & 0xFF);
    b.raw[0] = 1;  // never all zero
    const auto c = decode(encode(b), 1 + rng() % 50);
    ASSERT_EQ(c.frames.size(), 1u) << "round " << round;
    const auto& f = c.frames[0];
    EXPECT_EQ(f.sequence(), b.bfee_count);
    EXPECT_EQ(f.sensor_time_ns(), std::int64_t{b.timestamp_low} * 1000);
    EXPECT_EQ(f.bandwidth_mhz(), (b.rate & 0x800) ? 40u : 20u);
    EXPECT_EQ(f.noise_floor_dbm(), b.noise);
    EXPECT_EQ(f.agc_gain(), b.agc);
    std::uint32_t row_of[3] = {0, 1, 2};
    if (b.n_rx == 3) {
      for (unsigned i = 0; i < 3; ++i) row_of[i] = (b.antenna_sel >> (2 * i)) & 3;
    }
    for (std::uint32_t rx = 0; rx < b.n_rx; ++rx) {
      EXPECT_EQ(f.antenna_permutation(static_cast<int>(rx)), row_of[rx]);
      EXPECT_EQ(f.rssi_dbm(static_cast<int>(row_of[rx])), b.rssi[rx] - 44 - b.agc);
      for (std::uint32_t tx = 0; tx < b.n_tx; ++tx) {
        for (std::uint32_t sc = 0; sc < 30; ++sc) {
          const std::size_t k = ((rx * b.n_tx + tx) * 30 + sc) * 2;
          ASSERT_EQ(sample(f, row_of[rx], tx, sc, 0), b.raw[k]);
          ASSERT_EQ(sample(f, row_of[rx], tx, sc, 1), b.raw[k + 1]);
        }
      }
    }
  }
}

}  // namespace
}  // namespace wdp::ingest
