#include "formats/ruview_jsonl.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "wdp/testing/test_data.h"

namespace wdp::ingest {
namespace {

std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

struct Collected {
  std::vector<v1::CsiFrame> frames;
  std::vector<std::string> rejects;
  std::vector<std::string> skips;
};

Collected decode(const std::string& data, std::size_t max_chunk = 0) {
  Collected c;
  StreamCallbacks cb;
  cb.on_frame = [&](v1::CsiFrame&& f) { c.frames.push_back(std::move(f)); };
  cb.on_reject = [&](const Reject& r) { c.rejects.push_back(r.reason); };
  cb.on_skip = [&](const Skip& s) { c.skips.push_back(s.kind); };
  auto d = make_ruview_jsonl_decoder(DecodeContext{}, cb);
  std::mt19937 rng(3);
  for (std::size_t i = 0; i < data.size();) {
    const std::size_t n = max_chunk ? std::min<std::size_t>(data.size() - i, 1 + rng() % max_chunk) : data.size();
    d->feed(bytes(data).subspan(i, n));
    i += n;
  }
  d->finish();
  return c;
}

double amp(const v1::CsiFrame& f, std::size_t k) {
  double re, im;
  std::memcpy(&re, f.samples().data() + 16 * k, 8);
  std::memcpy(&im, f.samples().data() + 16 * k + 8, 8);
  EXPECT_EQ(im, 0.0);
  return re;
}

TEST(RuviewJsonl, RecordingImports253AmplitudeOnlyFrames) {
  const auto path = testing::csi_test_file("rec_1772470567081-20260302_165607.csi.jsonl");
  ASSERT_TRUE(std::filesystem::exists(path));
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto c = decode(ss.str());
  EXPECT_TRUE(c.rejects.empty());
  ASSERT_EQ(c.frames.size(), 253u);
  const auto& f0 = c.frames[0];
  EXPECT_EQ(f0.sensor_time_ns(), 1'772'470'567'087'000'000);
  EXPECT_EQ(c.frames.back().sensor_time_ns(), 1'772'470'585'317'000'000);
  std::vector<std::int32_t> want_index;
  for (int i = 0; i <= 31; ++i) want_index.push_back(i);
  for (int i = -32; i <= -9; ++i) want_index.push_back(i);
  const std::vector<std::size_t> zero_pos = {0, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37};
  std::int64_t prev = 0;
  for (const auto& f : c.frames) {
    EXPECT_EQ(f.source_format(), v1::SOURCE_FORMAT_RUVIEW_JSONL);
    EXPECT_EQ(f.node_id(), "ruview");
    EXPECT_TRUE(f.amplitude_only());
    EXPECT_EQ(f.sample_type(), v1::SAMPLE_TYPE_FLOAT64_LE);
    EXPECT_FALSE(f.rssi_valid());
    EXPECT_FALSE(f.noise_floor_valid());
    EXPECT_EQ(f.rssi_dbm_size(), 0);
    EXPECT_TRUE(f.sensor_time_is_epoch());
    EXPECT_GE(f.sensor_time_ns(), prev);
    prev = f.sensor_time_ns();
    ASSERT_EQ(f.n_bins(), 56u);
    ASSERT_EQ(f.samples().size(), 56u * 16);
    EXPECT_EQ(std::vector<std::int32_t>(f.subcarrier_index().begin(), f.subcarrier_index().end()), want_index);
    ASSERT_EQ(f.bin_flags().size(), 56u);
    for (std::size_t k = 0; k < 56; ++k) {
      const bool is_zero_pos = std::find(zero_pos.begin(), zero_pos.end(), k) != zero_pos.end();
      EXPECT_EQ((f.bin_flags()[k] & v1::BIN_FLAG_NULL) != 0, is_zero_pos) << k;
      if (is_zero_pos) {
        EXPECT_EQ(amp(f, k), 0.0) << k;
      }
      const double a2 = amp(f, k) * amp(f, k);
      EXPECT_NEAR(a2, std::round(a2), 1e-6);  // sqrt of an integer
    }
  }
  // Chunking does not matter.
  const auto chunked = decode(ss.str(), 300);
  ASSERT_EQ(chunked.frames.size(), c.frames.size());
  for (std::size_t i = 0; i < c.frames.size(); ++i) EXPECT_EQ(chunked.frames[i].SerializeAsString(), c.frames[i].SerializeAsString());
}

std::string line(double ts, std::size_t n, double value = 1.5) {
  std::ostringstream o;
  o.precision(17);
  o << "{\"timestamp\":" << ts << ",\"subcarriers\":[";
  for (std::size_t i = 0; i < n; ++i) o << (i ? "," : "") << value;
  o << "],\"rssi\":0.0,\"noise_floor\":0.0,\"features\":{\"variance\":1}}\n";
  return o.str();
}

TEST(RuviewJsonl, RejectsAndSkips) {
  std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}\n";
  const auto c = decode(line(1.0, 56) + line(1.0, 55) + "{\"timestamp\":\"x\",\"subcarriers\":[]}\n" + "not json\n" +
                        "[1,2]\n" + line(1.0, 56, -1) + deep + "{\"type\":\"sensing_update\"}\n" +
                        "{\"timestamp\":1,\"subcarriers\":[" + std::string("1,", 2) + "\"x\"" + std::string(54 * 2, ',') + "]}\n" + "\n" +
                        line(2.5, 56));
  EXPECT_EQ(c.frames.size(), 2u);
  EXPECT_EQ(c.rejects, (std::vector<std::string>{"bad_subcarriers", "bad_timestamp", "bad_json", "not_object", "bad_subcarriers",
                                                 "bad_json", "bad_json"}));
  EXPECT_EQ(c.skips, (std::vector<std::string>{"ruview_message"}));
  EXPECT_EQ(c.frames[1].sensor_time_ns(), 2'500'000'000);
}

}  // namespace
}  // namespace wdp::ingest
