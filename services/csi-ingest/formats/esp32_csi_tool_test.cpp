#include "formats/esp32_csi_tool.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

namespace wdp::ingest {
namespace {

std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

struct Collected {
  std::vector<v1::CsiFrame> frames;
  std::vector<std::string> rejects;
  std::vector<std::string> skips;
};

Collected decode(const std::string& data, bool bytewise = false, DecodeContext ctx = {}) {
  Collected c;
  StreamCallbacks cb;
  cb.on_frame = [&](v1::CsiFrame&& f) { c.frames.push_back(std::move(f)); };
  cb.on_reject = [&](const Reject& r) { c.rejects.push_back(r.reason); };
  cb.on_skip = [&](const Skip& s) { c.skips.push_back(s.kind); };
  auto d = make_esp32_csi_tool_decoder(ctx, cb);
  if (bytewise) {
    for (std::size_t i = 0; i < data.size(); ++i) d->feed(bytes(data).subspan(i, 1));
  } else {
    d->feed(bytes(data));
  }
  d->finish();
  return c;
}

struct Row {
  std::string role = "PASSIVE";
  std::string mac = "3C:71:BF:6D:1A:2B";
  int rssi = -45, sig_mode = 1, mcs = 5, cwb = 0, stbc = 0, noise = -93, channel = 6, secondary = 0;
  std::uint32_t ts = 123456;
  int real_set = 0;
  std::string real_ts = "0.000000";
  int len = 256;
  std::vector<int> values;  // printed values (may be fewer than len)
  std::string extra;        // appended columns
};

std::string write_row(const Row& r) {
  std::ostringstream o;
  o << "CSI_DATA," << r.role << ',' << r.mac << ',' << r.rssi << ",11," << r.sig_mode << ',' << r.mcs << ',' << r.cwb
    << ",0,1,0," << r.stbc << ",0,0," << r.noise << ",0," << r.channel << ',' << r.secondary << ',' << r.ts << ",0,100,0,"
    << r.real_set << ',' << r.real_ts << ',' << r.len << ",[";
  for (const int v : r.values) o << v << ' ';
  o << ']' << r.extra << "\n";
  return o.str();
}

Row full(int len = 256) {
  Row r;
  r.len = len;
  for (int i = 0; i < len; ++i) r.values.push_back((i * 37) % 256 - 128);
  return r;
}

TEST(Esp32CsiTool, DecodesFullRowWithHeaderAndExtraColumns) {
  std::string text =
      "type,role,mac,rssi,rate,sig_mode,mcs,bandwidth,smoothing,not_sounding,aggregation,stbc,fec_coding,sgi,"
      "noise_floor,ampdu_cnt,channel,secondary_channel,local_timestamp,ant,sig_len,rx_state,real_time_set,"
      "real_timestamp,len,CSI_DATA\r\n";
  auto r = full();
  r.extra = ",1612345678.5";
  text += write_row(r);
  const auto c = decode(text);
  ASSERT_TRUE(c.rejects.empty()) << c.rejects[0];
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.skips, (std::vector<std::string>{"csv_header"}));
  const auto& f = c.frames[0];
  EXPECT_EQ(f.source_format(), v1::SOURCE_FORMAT_ESP32_CSI_TOOL);
  EXPECT_EQ(f.node_id(), "csitool-3c71bf6d1a2b");
  EXPECT_EQ(f.source_mac(), "3c:71:bf:6d:1a:2b");
  EXPECT_FALSE(f.has_sequence());
  EXPECT_EQ(f.rssi_dbm(0), -45);
  EXPECT_EQ(f.noise_floor_dbm(), -93);
  EXPECT_EQ(f.mcs(), 5u);
  EXPECT_EQ(f.n_bins(), 128u);
  EXPECT_EQ(f.sensor_time_ns(), 123'456'000);
  EXPECT_FALSE(f.sensor_time_is_epoch());
  EXPECT_EQ(f.ppdu_type(), v1::PPDU_TYPE_HT);
  EXPECT_EQ(f.center_freq_mhz(), 2437u);
  ASSERT_EQ(f.subcarrier_index_size(), 128);
  EXPECT_EQ(f.subcarrier_index(64), 0);
  for (std::size_t k = 0; k < r.values.size(); k += 2) {
    ASSERT_EQ(static_cast<std::int8_t>(f.samples()[k]), r.values[k + 1]);
    ASSERT_EQ(static_cast<std::int8_t>(f.samples()[k + 1]), r.values[k]);
  }
  for (const char fl : f.bin_flags()) EXPECT_FALSE(fl & v1::BIN_FLAG_INVALID);
  EXPECT_EQ(decode(text, true).frames[0].SerializeAsString(), f.SerializeAsString());
}

TEST(Esp32CsiTool, FewerValuesThanLenIsAPartialFrame) {
  auto r = full(128);  // only the LLTF of a 384-byte HT20 STBC buffer
  r.len = 384;
  r.stbc = 1;
  const auto c = decode(write_row(r));
  ASSERT_EQ(c.frames.size(), 1u);
  const auto& f = c.frames[0];
  EXPECT_EQ(f.n_bins(), 192u);
  ASSERT_EQ(f.bin_flags().size(), 192u);
  for (std::size_t p = 0; p < 192; ++p) {
    EXPECT_EQ((f.bin_flags()[p] & v1::BIN_FLAG_INVALID) != 0, p >= 64) << p;
  }
  EXPECT_EQ(f.samples().substr(128), std::string(256, '\0'));
  // An odd number of printed values leaves the last pair half-printed: INVALID too.
  auto odd = full(129);
  odd.len = 256;
  const auto o = decode(write_row(odd));
  ASSERT_EQ(o.frames.size(), 1u);
  EXPECT_TRUE(o.frames[0].bin_flags()[64] & v1::BIN_FLAG_INVALID);
  EXPECT_FALSE(o.frames[0].bin_flags()[63] & v1::BIN_FLAG_INVALID);
}

TEST(Esp32CsiTool, RealTimestampWhenSet) {
  auto r = full();
  r.real_set = 1;
  r.real_ts = "1612345678.250000";
  const auto c = decode(write_row(r));
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_TRUE(c.frames[0].sensor_time_is_epoch());
  EXPECT_EQ(c.frames[0].sensor_time_ns(), 1'612'345'678'250'000'000);
}

TEST(Esp32CsiTool, RejectsDamagedRows) {
  auto more = full(130);
  more.len = 128;
  auto range = full();
  range.values[3] = -129;
  auto token = full();
  auto cut = write_row(full());
  cut = cut.substr(0, cut.size() / 2) + "\n";
  auto spliced = write_row(token);
  spliced.insert(spliced.find('[') + 6, "I (1) wifi: x");
  auto badlen = full(10);
  badlen.len = 9;
  const auto c = decode(write_row(more) + write_row(range) + cut + spliced + write_row(badlen) + "CSI_DATA,PASSIVE,1,2\n" +
                        "some log line\n");
  EXPECT_TRUE(c.frames.empty());
  EXPECT_EQ(c.rejects, (std::vector<std::string>{"count_mismatch", "value_out_of_range", "unterminated_list", "bad_token",
                                                 "bad_length", "bad_field_count"}));
  EXPECT_EQ(c.skips, (std::vector<std::string>{"console_log_line"}));
}

TEST(Esp32CsiTool, RoundTripRandomRows) {
  std::mt19937 rng(5);
  std::string text;
  std::vector<Row> rows;
  for (int i = 0; i < 200; ++i) {
    Row r;
    r.rssi = static_cast<int>(rng() % 100) - 100;
    r.sig_mode = static_cast<int>(rng() % 2);
    r.cwb = static_cast<int>(rng() % 2);
    r.secondary = static_cast<int>(rng() % 3);
    r.stbc = static_cast<int>(rng() % 2);
    r.channel = static_cast<int>(1 + rng() % 13);
    r.ts = static_cast<std::uint32_t>(i) * 1000u;
    r.len = 2 * static_cast<int>(1 + rng() % 306);
    r.values.resize(static_cast<std::size_t>(r.len));
    for (auto& v : r.values) v = static_cast<int>(rng() % 256) - 128;
    text += write_row(r);
    rows.push_back(r);
  }
  const auto c = decode(text);
  ASSERT_TRUE(c.rejects.empty());
  ASSERT_EQ(c.frames.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& f = c.frames[i];
    EXPECT_EQ(f.rssi_dbm(0), rows[i].rssi);
    EXPECT_EQ(f.n_bins(), static_cast<std::uint32_t>(rows[i].len / 2));
    EXPECT_EQ(f.sensor_time_ns(), static_cast<std::int64_t>(rows[i].ts) * 1000);
    for (std::size_t k = 0; k < rows[i].values.size(); k += 2) {
      ASSERT_EQ(static_cast<std::int8_t>(f.samples()[k]), rows[i].values[k + 1]);
      ASSERT_EQ(static_cast<std::int8_t>(f.samples()[k + 1]), rows[i].values[k]);
    }
  }
}

}  // namespace
}  // namespace wdp::ingest
