#include "formats/espidf_csi_data.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "formats/esp32_layout.h"
#include "wdp/testing/test_data.h"

namespace wdp::ingest {
namespace {

std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

struct Collected {
  std::vector<v1::CsiFrame> frames;
  std::vector<Reject> rejects;
  std::vector<std::string> skips;
};

// chunk: 0 = all at once, 1 = one byte at a time, else random sizes up to `chunk`.
Collected decode(const std::string& data, std::size_t chunk = 0, DecodeContext ctx = {}, unsigned seed = 1) {
  Collected c;
  StreamCallbacks cb;
  cb.on_frame = [&](v1::CsiFrame&& f) { c.frames.push_back(std::move(f)); };
  cb.on_reject = [&](const Reject& r) { c.rejects.push_back(r); };
  cb.on_skip = [&](const Skip& s) { c.skips.push_back(s.kind); };
  auto d = make_espidf_csi_data_decoder(ctx, cb);
  std::mt19937 rng(seed);
  std::size_t i = 0;
  while (i < data.size()) {
    std::size_t n = data.size() - i;
    if (chunk == 1) n = 1;
    else if (chunk > 1) n = std::min<std::size_t>(n, 1 + rng() % chunk);
    d->feed(bytes(data).subspan(i, n));
    i += n;
  }
  d->finish();
  return c;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Independent reader for the Espressif-extracted CSV (header + 25 columns, quoted list).
struct CsvRow {
  std::vector<std::string> cols;  // 24 header columns
  std::vector<int> values;
};

std::vector<CsvRow> read_reference_csv(const std::string& text) {
  std::vector<CsvRow> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    CsvRow r;
    std::size_t pos = 0;
    for (int i = 0; i < 24; ++i) {
      const auto comma = line.find(',', pos);
      r.cols.push_back(line.substr(pos, comma - pos));
      pos = comma + 1;
    }
    std::string list = line.substr(pos);
    EXPECT_TRUE(list.starts_with("\"[") && list.ends_with("]\""));
    list = list.substr(2, list.size() - 4);
    std::istringstream ls(list);
    std::string tok;
    while (std::getline(ls, tok, ',')) r.values.push_back(std::stoi(tok));
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string samples_from_imag_real(const std::vector<int>& v) {
  std::string s(v.size(), '\0');
  for (std::size_t k = 0; k + 1 < v.size(); k += 2) {
    s[k] = static_cast<char>(v[k + 1]);
    s[k + 1] = static_cast<char>(v[k]);
  }
  return s;
}

std::string id_of(const Reject& r) {
  if (!r.detail.starts_with("id=")) return "?";
  return r.detail.substr(3, r.detail.find(':') - 3);
}

const char* kLog = "espressif_esp-csi__log.console_test.20210205155636.txt";
const char* kCsv = "espressif_esp-csi__log.console_test.20210205155636.csv";

TEST(EspidfCsiData, ConsoleLogYieldsExactlyTheReferenceCsv) {
  const auto log_path = testing::csi_test_file(kLog);
  const auto csv_path = testing::csi_test_file(kCsv);
  ASSERT_TRUE(std::filesystem::exists(log_path) && std::filesystem::exists(csv_path));
  const auto log = read_file(log_path);
  const auto rows = read_reference_csv(read_file(csv_path));
  ASSERT_EQ(rows.size(), 1684u);

  const auto got = decode(log);
  ASSERT_EQ(got.frames.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& f = got.frames[i];
    const auto& r = rows[i];
    SCOPED_TRACE("row " + std::to_string(i) + " id " + r.cols[1]);
    ASSERT_EQ(f.sequence(), std::stoull(r.cols[1]));
    EXPECT_EQ(f.source_mac(), r.cols[2]);
    EXPECT_EQ(f.node_id(), "espidf-ac67b2538f31");
    EXPECT_EQ(f.rssi_dbm(0), std::stoi(r.cols[3]));
    EXPECT_EQ(f.mcs(), static_cast<std::uint32_t>(std::stoi(r.cols[6])));
    EXPECT_EQ(f.noise_floor_dbm(), std::stoi(r.cols[14]));
    EXPECT_EQ(f.channel(), static_cast<std::uint32_t>(std::stoi(r.cols[16])));
    EXPECT_EQ(f.sensor_time_ns(), std::stoll(r.cols[18]) * 1000);  // no wrap within this capture
    EXPECT_EQ(f.n_bins() * 2, static_cast<std::uint32_t>(std::stoi(r.cols[22])));
    ASSERT_EQ(f.samples(), samples_from_imag_real(r.values));
    // below / HT40 / non-STBC, first_word_invalid = 1 (README of the capture).
    EXPECT_EQ(f.secondary_channel(), v1::SECONDARY_CHANNEL_BELOW);
    EXPECT_EQ(f.bandwidth_mhz(), 40u);
    EXPECT_EQ(f.ppdu_type(), v1::PPDU_TYPE_HT);
    EXPECT_EQ(f.center_freq_mhz(), 2462u);
    ASSERT_EQ(f.subcarrier_index_size(), 192);
    EXPECT_EQ(f.subcarrier_index(63), 63);
    EXPECT_EQ(f.subcarrier_index(64), 0);
    EXPECT_EQ(f.subcarrier_index(191), -1);
    EXPECT_TRUE(f.bin_flags()[0] & v1::BIN_FLAG_INVALID);
    EXPECT_TRUE(f.bin_flags()[1] & v1::BIN_FLAG_INVALID);
  }

  std::vector<std::string> ids;
  std::map<std::string, std::string> reasons;
  for (const auto& r : got.rejects) {
    ids.push_back(id_of(r));
    reasons[id_of(r)] = r.reason;
    EXPECT_TRUE(r.reason == "bad_token" || r.reason == "unterminated_list") << r.reason << " " << r.detail;
    // The offset points at the start of the damaged line.
    EXPECT_TRUE(r.offset == 0 || log[r.offset - 1] == '\n');
    EXPECT_NE(log.substr(r.offset, log.find('\n', r.offset) - r.offset).find("CSI_DATA," + id_of(r) + ","), std::string::npos);
  }
  const std::vector<std::string> want = {"302", "303", "356", "357", "403", "602", "661", "662", "802", "855",
                                         "910", "1002", "1104", "1154", "1254", "1308", "1456", "1509", "1605"};
  EXPECT_EQ(ids, want);
  std::string summary;
  for (const auto& id : want) summary += id + ":" + reasons[id] + " ";
  std::cout << "[ console log ] accepted " << got.frames.size() << ", rejected " << got.rejects.size() << ": " << summary
            << "\n";
  EXPECT_GT(std::count(got.skips.begin(), got.skips.end(), "console_log_line"), 0);
  EXPECT_EQ(std::count(got.skips.begin(), got.skips.end(), "csv_header"), 1);

  // The extracted CSV decodes to the very same frames.
  const auto from_csv = decode(read_file(csv_path));
  ASSERT_EQ(from_csv.frames.size(), got.frames.size());
  EXPECT_TRUE(from_csv.rejects.empty());
  for (std::size_t i = 0; i < got.frames.size(); ++i) {
    ASSERT_EQ(from_csv.frames[i].SerializeAsString(), got.frames[i].SerializeAsString()) << i;
  }
}

void expect_same(const Collected& a, const Collected& b) {
  ASSERT_EQ(a.frames.size(), b.frames.size());
  for (std::size_t i = 0; i < a.frames.size(); ++i) ASSERT_EQ(a.frames[i].SerializeAsString(), b.frames[i].SerializeAsString());
  ASSERT_EQ(a.rejects.size(), b.rejects.size());
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    EXPECT_EQ(a.rejects[i].reason, b.rejects[i].reason);
    EXPECT_EQ(a.rejects[i].detail, b.rejects[i].detail);
    EXPECT_EQ(a.rejects[i].offset, b.rejects[i].offset);
  }
  EXPECT_EQ(a.skips, b.skips);
}

TEST(EspidfCsiData, ConsoleLogChunkingDoesNotMatter) {
  const auto path = testing::csi_test_file(kLog);
  ASSERT_TRUE(std::filesystem::exists(path));
  const auto log = read_file(path);
  const auto whole = decode(log);
  expect_same(decode(log, 1), whole);
  for (unsigned seed = 1; seed <= 3; ++seed) expect_same(decode(log, 5000, {}, seed), whole);
  expect_same(decode(log, 7, {}, 9), whole);
}

// A variant-A line writer, the inverse of the decoder (used for round trips).
struct LineFields {
  std::uint64_t id = 0;
  std::string mac = "ac:67:b2:53:8f:31";
  int rssi = -30, sig_mode = 1, mcs = 7, cwb = 0, stbc = 0, noise = -90, channel = 6, secondary = 0;
  std::uint32_t ts = 1000;
  int first_word = 0;
  std::vector<int> values;  // (imag, real) pairs
};

std::string write_line(const LineFields& l) {
  std::ostringstream o;
  o << "CSI_DATA," << l.id << ',' << l.mac << ',' << l.rssi << ",11," << l.sig_mode << ',' << l.mcs << ',' << l.cwb
    << ",1,1,0," << l.stbc << ",0,0," << l.noise << ",0," << l.channel << ',' << l.secondary << ',' << l.ts << ",0,67,0,"
    << l.values.size() << ',' << l.first_word << ",\"[";
  for (std::size_t i = 0; i < l.values.size(); ++i) o << (i ? "," : "") << l.values[i];
  o << "]\"\r\n";
  return o.str();
}

LineFields simple(std::size_t n_values = 128, int fill = 3) {
  LineFields l;
  l.sig_mode = 0;
  l.values.assign(n_values, fill);
  return l;
}

TEST(EspidfCsiData, RoundTripRandomLines) {
  std::mt19937 rng(2024);
  const std::size_t pairs[] = {64, 128, 192, 190, 188, 306, 10};
  std::string text;
  std::vector<LineFields> want;
  for (int i = 0; i < 300; ++i) {
    LineFields l;
    l.id = rng() % 100000;
    char mac[18];
    std::snprintf(mac, sizeof(mac), "%02x:%02x:12:34:%02x:fe", static_cast<unsigned>(rng() & 255), static_cast<unsigned>(rng() & 255),
                  static_cast<unsigned>(rng() & 255));
    l.mac = mac;
    l.rssi = static_cast<int>(rng() % 129) - 128;
    l.sig_mode = static_cast<int>(rng() % 2);
    l.mcs = static_cast<int>(rng() % 32);
    l.cwb = static_cast<int>(rng() % 2);
    l.stbc = static_cast<int>(rng() % 2);
    l.noise = static_cast<int>(rng() % 129) - 128;
    l.channel = static_cast<int>(1 + rng() % 13);
    l.secondary = static_cast<int>(rng() % 3);
    l.ts = static_cast<std::uint32_t>(i) * 10'000u;
    l.first_word = static_cast<int>(rng() % 2);
    l.values.resize(2 * pairs[rng() % std::size(pairs)]);
    for (auto& v : l.values) v = static_cast<int>(rng() % 256) - 128;
    text += write_line(l);
    want.push_back(l);
  }
  const auto got = decode(text, 33);
  ASSERT_TRUE(got.rejects.empty()) << got.rejects[0].reason << " " << got.rejects[0].detail;
  ASSERT_EQ(got.frames.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& f = got.frames[i];
    const auto& l = want[i];
    EXPECT_EQ(f.sequence(), l.id);
    EXPECT_EQ(f.source_mac(), l.mac);
    EXPECT_EQ(f.rssi_dbm(0), l.rssi);
    EXPECT_EQ(f.noise_floor_dbm(), l.noise);
    EXPECT_EQ(f.mcs(), static_cast<std::uint32_t>(l.mcs));
    EXPECT_EQ(f.stbc(), l.stbc == 1);
    EXPECT_EQ(f.channel(), static_cast<std::uint32_t>(l.channel));
    EXPECT_EQ(f.bandwidth_mhz(), l.cwb ? 40u : 20u);
    EXPECT_EQ(f.ppdu_type(), l.sig_mode ? v1::PPDU_TYPE_HT : v1::PPDU_TYPE_NON_HT);
    EXPECT_EQ(static_cast<int>(f.secondary_channel()), l.secondary);
    EXPECT_EQ(f.sensor_time_ns(), static_cast<std::int64_t>(l.ts) * 1000);
    EXPECT_EQ(f.samples(), samples_from_imag_real(l.values));
    EXPECT_EQ(f.bin_flags().size(), l.values.size() / 2);
    if (l.first_word) {
      EXPECT_TRUE(f.bin_flags()[1] & v1::BIN_FLAG_INVALID);
    }
    if (f.subcarrier_index_size() > 0) {
      EXPECT_EQ(static_cast<std::int64_t>(f.center_freq_mhz()), wifi_channel_to_mhz(static_cast<std::uint32_t>(l.channel)) + esp_grid_offset_mhz(f.secondary_channel()));
    }
  }
}

TEST(EspidfCsiData, ConsoleHazards) {
  std::string text;
  text += "\x1b[0;32mI (52695) app_main: <1> time: 700 ms\x1b[0m\r\n";  // log line
  text += "\x1b[0;32mcsi> \x1b[0m\x1b[6n" + write_line(simple());        // prompt before CSI_DATA
  auto cut = write_line(simple());
  text += cut.substr(0, 100) + "\x1b[0;32mI (1) x: y\r\n";                 // cut short
  auto spliced = write_line(simple());
  spliced.insert(spliced.find("[") + 10, "\x1b[0;32mI (57685) app_main: <8>");
  text += spliced;                                                           // log spliced into the list
  text += "RADAR_DADA,1,2,3,4,5,6,7,8,9,10\r\n";
  auto two = write_line(simple());
  two.pop_back();
  two.pop_back();
  text += two + write_line(simple());                                        // two records on one line
  auto big = simple();
  big.values[5] = 200;
  text += write_line(big);                                                   // out of range
  auto mismatch = write_line(simple(6));
  mismatch.replace(mismatch.find(",6,0,\"["), 7, ",8,0,\"[");
  text += mismatch;                                                          // count != len
  text += write_line(simple(7));                                             // odd len
  text += "CSI_DATA," + std::string(20000, '1') + "\n";                      // overlong
  text += "\n\r\n";
  auto last = write_line(simple());
  text += last.substr(0, last.size() - 2);                                   // no final newline
  const auto c = decode(text, 0, DecodeContext{.node_override = "bench"});
  ASSERT_EQ(c.frames.size(), 2u);
  EXPECT_EQ(c.frames[0].node_id(), "bench");
  std::vector<std::string> reasons;
  for (const auto& r : c.rejects) reasons.push_back(r.reason);
  EXPECT_EQ(reasons, (std::vector<std::string>{"unterminated_list", "bad_token", "bad_token", "value_out_of_range",
                                               "count_mismatch", "bad_length", "line_too_long"}));
  EXPECT_EQ(c.skips, (std::vector<std::string>{"console_log_line", "radar_line"}));
}

TEST(EspidfCsiData, VariantsBAndCAndRenamedHeader) {
  // Variant B (C5/C6, 15 columns): 53 pairs is the C5 LLTF layout.
  std::string b = "CSI_DATA,7,aa:bb:cc:dd:ee:ff,-40,11,-95,3,20,11,12345,60,0,106,0,\"[";
  for (int i = 0; i < 106; ++i) b += (i ? "," : "") + std::to_string(i - 53);
  b += "]\"\n";
  // Variant C (30 columns), list and base64 forms.
  const std::string c_head = "CSI_DATA,9,123456,0,0,11:22:33:44:55:66,-50,11,0,0,0,1,1,0,0,0,0,-92,0,1,0,777,0,60,0,5,6,";
  std::string c_list = c_head + "128,1,\"[";
  for (int i = 0; i < 128; ++i) c_list += (i ? "," : "") + std::to_string(i % 2 ? 1 : -1);
  c_list += "]\"\n";
  std::string raw;
  for (int i = 0; i < 128; ++i) raw.push_back(static_cast<char>(i % 2 ? 1 : -1));
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (std::size_t i = 0; i < raw.size(); i += 3) {
    const unsigned w = (static_cast<unsigned char>(raw[i]) << 16) | (i + 1 < raw.size() ? static_cast<unsigned char>(raw[i + 1]) << 8 : 0) |
                       (i + 2 < raw.size() ? static_cast<unsigned char>(raw[i + 2]) : 0);
    b64 += k[(w >> 18) & 63];
    b64 += k[(w >> 12) & 63];
    b64 += i + 1 < raw.size() ? k[(w >> 6) & 63] : '=';
    b64 += i + 2 < raw.size() ? k[w & 63] : '=';
  }
  const std::string c_b64 = c_head + "128,1," + b64 + "\n";
  // Renamed columns in a different order, with spaces in the list (§4.5).
  std::string renamed = "type,mac,id,rssi,cwb,sig_mode,stbc,noise_floor,channel_primary,channel_secondary,local_timestamp,len,first_word_invalid,data\n";
  renamed += "CSI_DATA,aa:bb:cc:00:00:01,5,-33,1,1,0,-91,6,1,99,384,0,\"[";
  for (int i = 0; i < 384; ++i) renamed += std::string(i ? ", " : "") + std::to_string(i % 7);
  renamed += "]\"\n";

  const auto c = decode(b + c_list + c_b64 + renamed);
  ASSERT_TRUE(c.rejects.empty()) << c.rejects[0].reason << " " << c.rejects[0].detail;
  ASSERT_EQ(c.frames.size(), 4u);
  const auto& fb = c.frames[0];
  EXPECT_EQ(fb.sequence(), 7u);
  EXPECT_EQ(fb.agc_gain(), 20u);
  EXPECT_EQ(fb.channel(), 11u);
  EXPECT_EQ(fb.subcarrier_index_size(), 53);
  EXPECT_EQ(fb.noise_floor_dbm(), -95);
  EXPECT_EQ(c.frames[1].SerializeAsString(), c.frames[2].SerializeAsString());
  const auto& fc = c.frames[1];
  EXPECT_EQ(fc.sequence(), 9u);
  EXPECT_EQ(fc.source_mac(), "11:22:33:44:55:66");
  EXPECT_EQ(fc.agc_gain(), 5u);
  EXPECT_EQ(fc.sensor_time_ns(), 777'000);
  EXPECT_EQ(fc.subcarrier_index_size(), 64);
  EXPECT_TRUE(fc.bin_flags()[1] & v1::BIN_FLAG_INVALID);
  EXPECT_EQ(static_cast<std::int8_t>(fc.samples()[0]), 1);
  EXPECT_EQ(static_cast<std::int8_t>(fc.samples()[1]), -1);
  const auto& fr = c.frames[3];
  EXPECT_EQ(fr.sequence(), 5u);
  EXPECT_EQ(fr.rssi_dbm(0), -33);
  EXPECT_EQ(fr.bandwidth_mhz(), 40u);
  EXPECT_EQ(fr.secondary_channel(), v1::SECONDARY_CHANNEL_ABOVE);
  EXPECT_EQ(fr.center_freq_mhz(), 2447u);
  EXPECT_EQ(fr.subcarrier_index_size(), 192);
  EXPECT_EQ(fr.subcarrier_index(0), -64);
  EXPECT_EQ(c.skips, (std::vector<std::string>{"csv_header"}));
}

TEST(EspidfCsiData, LocalTimestampWrapsPerNode) {
  auto a = simple();
  a.ts = 4'294'967'000u;
  auto b = simple();
  b.ts = 100;
  auto other = simple();
  other.mac = "00:00:00:00:00:01";
  other.ts = 50;
  const auto c = decode(write_line(a) + write_line(b) + write_line(other) + write_line(a));
  ASSERT_EQ(c.frames.size(), 4u);
  EXPECT_EQ(c.frames[0].sensor_time_ns(), 4'294'967'000LL * 1000);
  EXPECT_EQ(c.frames[1].sensor_time_ns(), (4'294'967'296LL + 100) * 1000);
  EXPECT_EQ(c.frames[2].sensor_time_ns(), 50'000);
  EXPECT_EQ(c.frames[3].sensor_time_ns(), 4'294'967'000LL * 1000);  // late, before the wrap
  EXPECT_EQ(c.frames[0].node_id(), "espidf-ac67b2538f31");
  EXPECT_FALSE(c.frames[0].sensor_time_is_epoch());
}

// Found by libFuzzer: a CSI_DATA line whose sample-list column is empty read front() of an
// empty view. It must be a reject, not undefined behaviour.
TEST(EspidfCsiData, EmptySampleListIsRejected) {
  const std::string line =
      "CSI_DATA,0,12:34:56:78:9a:bc,-40,11,1,3,0,1,1,0,0,0,0,-91,0,6,0,1000,0,50,0,8,1,\n";
  std::size_t frames = 0, rejects = 0;
  auto dec = make_espidf_csi_data_decoder({}, {[&](v1::CsiFrame&&) { ++frames; }, [&](const Reject&) { ++rejects; }, {}});
  dec->feed(std::as_bytes(std::span(line.data(), line.size())));
  dec->finish();
  EXPECT_EQ(frames, 0u);
  EXPECT_EQ(rejects, 1u);
}

TEST(EspidfCsiData, BadHeaderFields) {
  auto l = write_line(simple());
  auto with = [&](const std::string& from, const std::string& to) {
    auto s = l;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const auto c = decode(with("ac:67:b2:53:8f:31", "ac:67:b2:53:8f") + with(",-30,", ",-3x0,") + with(",-90,", ",-900,") +
                        with("CSI_DATA,0,", "CSI_DATA,0,extra,"));
  std::vector<std::string> reasons;
  for (const auto& r : c.rejects) reasons.push_back(r.reason);
  EXPECT_EQ(reasons, (std::vector<std::string>{"bad_mac", "bad_header_field", "bad_header_field", "bad_field_count"}));
  EXPECT_TRUE(c.frames.empty());
}

}  // namespace
}  // namespace wdp::ingest
