#include "formats/esp32_raw_encoder.h"

#include <gtest/gtest.h>

#include <random>

#include "formats/esp32_encode.h"

namespace wdp::ingest {
namespace {

std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

std::string as_string(std::span<const std::byte> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// What the general path publishes for this datagram: decode_esp32_udp + protobuf serialization.
std::string reference(const std::string& datagram, const DecodeContext& ctx, const Esp32UdpOptions& opt,
                      std::uint64_t ingest_sequence) {
  auto r = decode_esp32_udp(bytes(datagram), ctx, opt);
  EXPECT_EQ(r.kind, DatagramResult::Kind::frame) << r.reject.reason;
  r.frame.set_ingest_sequence(ingest_sequence);
  return r.frame.SerializeAsString();
}

std::string random_frame(std::mt19937& rng, std::uint8_t n_ant, std::uint16_t n_sc) {
  Esp32RawHeader h;
  h.node_id = static_cast<std::uint8_t>(rng());
  h.n_antennas = n_ant;
  h.n_subcarriers = n_sc;
  const std::uint32_t freqs[] = {0, 2412, 2437, 2484, 5180, 5825, 1, 0xFFFFFFFFu};
  h.freq_mhz = freqs[rng() % 8];
  h.sequence = rng() % 4 == 0 ? 0 : static_cast<std::uint32_t>(rng());
  h.rssi_dbm = static_cast<std::int8_t>(rng());
  h.noise_floor_dbm = rng() % 4 == 0 ? 0 : static_cast<std::int8_t>(rng());
  std::vector<std::int8_t> pairs(2u * n_ant * n_sc);
  for (auto& v : pairs) v = static_cast<std::int8_t>(rng());
  return encode_esp32_raw_frame(h, pairs);
}

// Every subcarrier count a datagram can hold (documented rows, shortened rows and unknown
// lengths), every antenna count and secondary channel: the bytes equal the general path's.
TEST(Esp32RawEncoder, ByteIdenticalToDecodePlusSerialize) {
  std::mt19937 rng(7);
  for (const auto secondary : {v1::SECONDARY_CHANNEL_NONE, v1::SECONDARY_CHANNEL_ABOVE, v1::SECONDARY_CHANNEL_BELOW}) {
    const Esp32UdpOptions opt{secondary};
    DecodeContext ctx;
    ctx.node_prefix = "site-a/";
    Esp32RawEncoder enc(ctx.node_prefix, opt);
    for (std::uint16_t n_sc = 1; n_sc <= 600; ++n_sc) {
      const auto n_ant = static_cast<std::uint8_t>(1 + n_sc % 4);
      const std::string d = random_frame(rng, n_ant, n_sc);
      ctx.receive_time_ns = n_sc % 5 == 0 ? 0 : static_cast<std::int64_t>(rng()) << 20;
      ctx.receive_mono_ns = n_sc % 7 == 0 ? -5 : static_cast<std::int64_t>(rng());
      const std::uint64_t ingest_sequence = n_sc % 3 == 0 ? 0 : (std::uint64_t{1} << 40) + n_sc;
      const auto view = parse_esp32_raw(bytes(d));
      ASSERT_TRUE(view.has_value()) << n_sc;
      const auto got = as_string(enc.encode(*view, ctx.receive_time_ns, ctx.receive_mono_ns, ingest_sequence));
      ASSERT_EQ(got, reference(d, ctx, opt, ingest_sequence)) << "n_sc " << n_sc << " n_ant " << int(n_ant);
    }
  }
}

TEST(Esp32RawEncoder, HeaderFieldsAndSwappedPairs) {
  // 64 pairs = the LLTF row: indices known, 20 MHz.
  std::vector<std::int8_t> pairs(128);
  for (std::size_t i = 0; i < pairs.size(); ++i) pairs[i] = static_cast<std::int8_t>(i);
  const std::string d = encode_esp32_raw_frame({3, 1, 64, 2437, 9, -61, -95}, pairs);
  const auto view = parse_esp32_raw(bytes(d));
  ASSERT_TRUE(view);
  EXPECT_EQ(view->node, 3);
  EXPECT_EQ(view->sequence, 9u);
  EXPECT_EQ(view->rssi_dbm, -61);
  Esp32RawEncoder enc("");
  v1::CsiFrame f;
  ASSERT_TRUE(f.ParseFromString(as_string(enc.encode(*view, 11, 22, 33))));
  EXPECT_EQ(f.node_id(), "esp32-3");
  EXPECT_EQ(f.ingest_sequence(), 33u);
  EXPECT_EQ(f.receive_time_ns(), 11);
  EXPECT_EQ(f.receive_mono_ns(), 22);
  EXPECT_EQ(f.n_bins(), 64u);
  EXPECT_EQ(f.subcarrier_index_size(), 64);
  EXPECT_EQ(f.rssi_dbm(0), -61);
  EXPECT_EQ(f.noise_floor_dbm(), -95);
  EXPECT_EQ(f.channel(), 6u);
  EXPECT_EQ(f.samples()[0], 1);  // (imag 0, real 1) -> (re 1, im 0)
  EXPECT_EQ(f.samples()[1], 0);
  EXPECT_EQ(f.samples()[127], 126);
}

// Everything that is not a complete raw frame goes to decode_esp32_udp for its reject or skip.
TEST(Esp32RawEncoder, ParsesExactlyTheDatagramsTheDecoderTurnsIntoFrames) {
  std::mt19937 rng(11);
  const std::string good = random_frame(rng, 2, 64);
  std::vector<std::string> cases = {good, good + "tail", good.substr(0, good.size() - 1), good.substr(0, 19), ""};
  std::string bad_ant = good;
  bad_ant[5] = 5;
  std::string zero_ant = good;
  zero_ant[5] = 0;
  std::string zero_sc = good;
  zero_sc[6] = zero_sc[7] = 0;
  std::string vitals = good.substr(0, 32);
  vitals[0] = 2;
  cases.insert(cases.end(), {bad_ant, zero_ant, zero_sc, vitals});
  for (int i = 0; i < 2000; ++i) {  // random mutations of the header
    std::string m = good.substr(0, rng() % (good.size() + 1));
    if (!m.empty()) m[rng() % std::min<std::size_t>(m.size(), 20)] = static_cast<char>(rng());
    cases.push_back(m);
  }
  for (const auto& c : cases) {
    const bool frame = decode_esp32_udp(bytes(c), DecodeContext{}).kind == DatagramResult::Kind::frame;
    EXPECT_EQ(parse_esp32_raw(bytes(c)).has_value(), frame) << c.size();
  }
}

}  // namespace
}  // namespace wdp::ingest
