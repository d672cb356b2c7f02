#include "formats/espectre_npz.h"

#include <gtest/gtest.h>

#include "formats/decode_for_test.h"

#include <fstream>
#include <sstream>

#include "formats/npy_array.h"
#include "formats/zip_reader.h"
#include "wdp/testing/test_data.h"

namespace wdp::ingest {
namespace {

using testing::read_file;

struct Decoded {
  std::vector<v1::CsiFrame> frames;
  std::vector<Reject> rejects;
};

Decoded decode(std::span<const std::byte> bytes, std::size_t chunk) {
  Decoded d;
  auto dec = make_espectre_npz_decoder({}, {[&](v1::CsiFrame&& f) { d.frames.push_back(std::move(f)); },
                                            [&](const Reject& r) { d.rejects.push_back(r); }, {}});
  for (std::size_t off = 0; off < bytes.size(); off += chunk) dec->feed(bytes.subspan(off, std::min(chunk, bytes.size() - off)));
  dec->finish();
  return d;
}

// The .csi_int8.csv beside each .npz holds the same int8 values (imag, real per pair).
std::vector<std::vector<int>> golden_rows(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  std::string line;
  std::vector<std::vector<int>> rows;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == 'p') continue;
    std::stringstream ss(line);
    std::string tok;
    std::vector<int> v;
    std::getline(ss, tok, ',');  // pkt
    while (std::getline(ss, tok, ',')) v.push_back(std::stoi(tok));
    rows.push_back(v);
  }
  return rows;
}

TEST(EspectreNpz, DecodesBothC6ClipsExactly) {
  for (const auto* stem : {"francescopace_espectre__baseline_c6_64sc_20260310_234819",
                           "francescopace_espectre__movement_c6_64sc_20260310_234839"}) {
    const auto npz = wdp::testing::csi_test_file(std::string(stem) + ".npz");
    const auto csv = wdp::testing::csi_test_file(std::string(stem) + ".csi_int8.csv");
    const auto bytes = read_file(npz);
    const Decoded d = decode(bytes, 4096);
    ASSERT_TRUE(d.rejects.empty()) << d.rejects.front().reason << " " << d.rejects.front().detail;
    const auto golden = golden_rows(csv);
    ASSERT_EQ(d.frames.size(), golden.size());
    ASSERT_GE(d.frames.size(), 1346u);
    for (std::size_t i = 0; i < d.frames.size(); ++i) {
      const auto& f = d.frames[i];
      ASSERT_EQ(f.n_bins(), 64u);
      for (std::size_t k = 0; k < 64; ++k) {
        ASSERT_EQ(static_cast<std::int8_t>(f.samples()[2 * k]), golden[i][2 * k + 1]) << i << " re " << k;
        ASSERT_EQ(static_cast<std::int8_t>(f.samples()[2 * k + 1]), golden[i][2 * k]) << i << " im " << k;
      }
    }
    // C6 order −32…+31 with null pairs {0–3, 32, 61–63} (README sanity figures).
    const auto& f0 = d.frames.front();
    ASSERT_EQ(f0.subcarrier_index_size(), 64);
    EXPECT_EQ(f0.subcarrier_index(0), -32);
    EXPECT_EQ(f0.subcarrier_index(32), 0);
    for (int k : {0, 1, 2, 3, 32, 61, 62, 63}) EXPECT_TRUE(f0.bin_flags()[k] & v1::BIN_FLAG_NULL) << k;
    EXPECT_FALSE(f0.bin_flags()[10] & v1::BIN_FLAG_NULL);
    // Uniform spacing duration/N ≈ 7.44 ms (≈ 134.4 packets/s).
    const double dt = double(d.frames[1].sensor_time_ns() - d.frames[0].sensor_time_ns()) * 1e-9;
    EXPECT_NEAR(1 / dt, 134.5, 0.5);
    EXPECT_EQ(f0.chip(), "esp32c6");
  }
}

TEST(EspectreNpz, DamagedArchivesAreRejectedNotCrashed) {
  const auto bytes = read_file(wdp::testing::csi_test_file("francescopace_espectre__baseline_c6_64sc_20260310_234819.npz"));
  for (std::size_t cut : {std::size_t{0}, std::size_t{21}, bytes.size() / 2, bytes.size() - 1}) {
    const auto d = decode(std::span(bytes).first(cut), 1000);
    EXPECT_TRUE(d.frames.empty()) << cut;
    EXPECT_EQ(d.rejects.size(), 1u) << cut;
  }
  auto flipped = bytes;
  flipped[bytes.size() / 3] ^= std::byte{0xFF};  // inside compressed data
  const auto d = decode(flipped, 1 << 20);
  EXPECT_EQ(d.rejects.size() + (d.frames.empty() ? 0 : 1), 1u);
}

TEST(Npy, ParsesHeadersAndScalars) {
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
  header.resize(118, ' ');
  header += '\n';
  std::string npy = std::string("\x93NUMPY\x01\x00", 8);
  npy.push_back(char(header.size() & 0xFF));
  npy.push_back(char(header.size() >> 8));
  npy += header;
  const double v = 10013.813;
  npy.append(reinterpret_cast<const char*>(&v), 8);
  const NpyArray a = parse_npy(npy);
  ASSERT_TRUE(a.error.empty()) << a.error;
  double out = 0;
  EXPECT_TRUE(a.as_double(out));
  EXPECT_EQ(out, v);
  EXPECT_FALSE(parse_npy(npy.substr(0, 50)).error.empty());
  EXPECT_FALSE(parse_npy("garbage").error.empty());
}

}  // namespace
}  // namespace wdp::ingest
