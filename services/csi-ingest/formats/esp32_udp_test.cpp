#include "formats/esp32_udp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "formats/esp32_encode.h"
#include "formats/esp32_layout.h"

namespace wdp::ingest {
namespace {

std::string hex_bytes(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i < hex.size();) {
    if (hex[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

// §3.2 byte-exact vector: node 1, 1 antenna, 4 subcarriers, 2437 MHz, seq 42, RSSI -50, noise -90.
const std::string kVector = hex_bytes("01 00 11 c5 01 01 04 00 85 09 00 00 2a 00 00 00 ce a6 00 00 03 04 00 0a 05 0c 07 00");
const std::string kVitals = hex_bytes("02 00 11 c5 01 05 f0 05 80 fc 0a 00 cc 01 00 00 f0 85 49 3c f0 85 49 3c 40 e2 01 00 00 00 00 00");
const std::string kEvents = hex_bytes("04 00 11 c5 01 00 02 00 01 00 00 00 3f 02 00 00 28 42");
const std::string kCompressed = hex_bytes("03 00 11 c5 01 06 80 00 06 00 00 64 03 01 00 1b");

TEST(Esp32Udp, ByteExactVectorWithTruePhases) {
  ASSERT_EQ(kVector.size(), 28u);
  const auto r = decode_esp32_udp(bytes(kVector), DecodeContext{});
  ASSERT_EQ(r.kind, DatagramResult::Kind::frame) << r.reject.reason;
  const auto& f = r.frame;
  EXPECT_EQ(f.node_id(), "esp32-1");
  EXPECT_EQ(f.source_format(), v1::SOURCE_FORMAT_ESP32_UDP);
  EXPECT_EQ(f.sequence(), 42u);
  EXPECT_TRUE(f.has_sequence());
  EXPECT_EQ(f.n_rx(), 1u);
  EXPECT_EQ(f.n_tx(), 1u);
  EXPECT_EQ(f.n_bins(), 4u);
  ASSERT_EQ(f.rssi_dbm_size(), 1);
  EXPECT_EQ(f.rssi_dbm(0), -50);
  EXPECT_TRUE(f.rssi_valid());
  EXPECT_EQ(f.noise_floor_dbm(), -90);
  EXPECT_TRUE(f.noise_floor_valid());
  EXPECT_EQ(f.channel(), 6u);
  EXPECT_EQ(f.sample_type(), v1::SAMPLE_TYPE_INT8);
  // 4 pairs fit no ESP-IDF row: frame kept, indices unknown.
  EXPECT_EQ(f.subcarrier_index_size(), 0);
  EXPECT_EQ(f.bin_flags(), std::string(4, '\0'));
  EXPECT_EQ(f.center_freq_mhz(), 0u);
  const double want_amp[] = {5, 10, 13, 7};
  const double want_phase[] = {0.643501, 0.0, 0.394791, 1.570796};
  const int want_re[] = {4, 10, 12, 0}, want_im[] = {3, 0, 5, 7};
  ASSERT_EQ(f.samples().size(), 8u);
  for (int k = 0; k < 4; ++k) {
    const int re = static_cast<std::int8_t>(f.samples()[2 * k]);
    const int im = static_cast<std::int8_t>(f.samples()[2 * k + 1]);
    EXPECT_EQ(re, want_re[k]);
    EXPECT_EQ(im, want_im[k]);
    EXPECT_NEAR(std::hypot(re, im), want_amp[k], 1e-9);
    EXPECT_NEAR(std::atan2(im, re), want_phase[k], 1e-6);
  }
}

TEST(Esp32Udp, EncoderReproducesVector) {
  Esp32RawHeader h;
  h.node_id = 1;
  h.n_antennas = 1;
  h.n_subcarriers = 4;
  h.freq_mhz = 2437;
  h.sequence = 42;
  h.rssi_dbm = -50;
  h.noise_floor_dbm = -90;
  const std::int8_t payload[] = {3, 4, 0, 10, 5, 12, 7, 0};
  EXPECT_EQ(encode_esp32_raw_frame(h, payload), kVector);
  EXPECT_THROW(encode_esp32_raw_frame(h, std::span(payload, 6)), std::invalid_argument);
}

TEST(Esp32Udp, NonCsiPacketsAreSkippedByMagic) {
  auto r = decode_esp32_udp(bytes(kVitals), DecodeContext{});
  EXPECT_EQ(r.kind, DatagramResult::Kind::skip);
  EXPECT_EQ(r.skip.kind, "esp32_vitals");
  for (const std::size_t n : {28u, 31u}) {
    r = decode_esp32_udp(bytes(kVitals.substr(0, n)), DecodeContext{});
    EXPECT_EQ(r.kind, DatagramResult::Kind::reject);
    EXPECT_EQ(r.reject.reason, "bad_length");
  }
  r = decode_esp32_udp(bytes(kVitals + "x"), DecodeContext{});
  EXPECT_EQ(r.reject.reason, "bad_length");

  r = decode_esp32_udp(bytes(kEvents), DecodeContext{});
  EXPECT_EQ(r.kind, DatagramResult::Kind::skip);
  EXPECT_EQ(r.skip.kind, "esp32_events");
  r = decode_esp32_udp(bytes(kEvents.substr(0, 17)), DecodeContext{});
  EXPECT_EQ(r.reject.reason, "truncated_payload");  // never decode a partial event list
  r = decode_esp32_udp(bytes(kEvents.substr(0, 7)), DecodeContext{});
  EXPECT_EQ(r.reject.reason, "truncated_header");
  std::string many = kEvents;
  many[6] = 17;
  r = decode_esp32_udp(bytes(many), DecodeContext{});
  EXPECT_EQ(r.reject.reason, "bad_count");

  r = decode_esp32_udp(bytes(kCompressed), DecodeContext{});
  EXPECT_EQ(r.kind, DatagramResult::Kind::skip);
  EXPECT_EQ(r.skip.kind, "esp32_compressed");
}

TEST(Esp32Udp, BadMagicTruncationAndCounts) {
  std::string bad = kVector;
  bad[0] = 0x05;
  auto r = decode_esp32_udp(bytes(bad), DecodeContext{});
  EXPECT_EQ(r.reject.reason, "bad_magic");
  EXPECT_NE(r.reject.detail.find("0xC5110005"), std::string::npos);
  for (std::size_t n = 0; n < kVector.size(); ++n) {
    r = decode_esp32_udp(bytes(kVector.substr(0, n)), DecodeContext{});
    ASSERT_EQ(r.kind, DatagramResult::Kind::reject) << n;
    EXPECT_EQ(r.reject.reason, n < 20 ? "truncated_header" : "truncated_payload") << n;
  }
  for (const int n_ant : {0, 5}) {
    std::string v = kVector;
    v[5] = static_cast<char>(n_ant);
    EXPECT_EQ(decode_esp32_udp(bytes(v), DecodeContext{}).reject.reason, "bad_count");
  }
  std::string zero_sc = kVector;
  zero_sc[6] = 0;
  EXPECT_EQ(decode_esp32_udp(bytes(zero_sc), DecodeContext{}).reject.reason, "bad_count");
}

TEST(Esp32Udp, TrailingBytesAreTolerated) {
  const auto plain = decode_esp32_udp(bytes(kVector), DecodeContext{});
  const auto padded = decode_esp32_udp(bytes(kVector + std::string(7, '\x55')), DecodeContext{});
  ASSERT_EQ(padded.kind, DatagramResult::Kind::frame);
  EXPECT_EQ(padded.frame.SerializeAsString(), plain.frame.SerializeAsString());
}

std::string random_frame(std::mt19937& rng, Esp32RawHeader h) {
  std::vector<std::int8_t> p(2u * h.n_antennas * h.n_subcarriers);
  std::uniform_int_distribution<int> v(-128, 127);
  for (auto& x : p) x = static_cast<std::int8_t>(v(rng));
  return encode_esp32_raw_frame(h, p);
}

TEST(Esp32Udp, MixedSizesGetPerFrameLayouts) {
  std::mt19937 rng(7);
  Esp32RawHeader h;
  h.freq_mhz = 2472;  // channel 13
  struct Case {
    std::uint16_t n_sc;
    v1::SecondaryChannel sec;
    bool known;
    v1::PpduType ppdu;
    std::uint32_t bw;
    bool stbc;
    std::uint32_t centre;
  };
  const Case cases[] = {
      {64, v1::SECONDARY_CHANNEL_NONE, true, v1::PPDU_TYPE_NON_HT, 20, false, 2472},
      {128, v1::SECONDARY_CHANNEL_NONE, true, v1::PPDU_TYPE_HT, 20, false, 2472},
      {192, v1::SECONDARY_CHANNEL_NONE, true, v1::PPDU_TYPE_HT, 20, true, 2472},
      {306, v1::SECONDARY_CHANNEL_NONE, false, v1::PPDU_TYPE_UNSPECIFIED, 0, false, 0},
      {192, v1::SECONDARY_CHANNEL_BELOW, true, v1::PPDU_TYPE_HT, 40, false, 2462},
      {306, v1::SECONDARY_CHANNEL_BELOW, true, v1::PPDU_TYPE_HT, 40, true, 2462},
      {188, v1::SECONDARY_CHANNEL_ABOVE, true, v1::PPDU_TYPE_HT, 20, true, 2482},
  };
  for (const auto& c : cases) {
    h.n_subcarriers = c.n_sc;
    const auto wire = random_frame(rng, h);
    const auto r = decode_esp32_udp(bytes(wire), DecodeContext{}, Esp32UdpOptions{c.sec});
    ASSERT_EQ(r.kind, DatagramResult::Kind::frame);
    const auto& f = r.frame;
    EXPECT_EQ(f.n_bins(), c.n_sc);
    EXPECT_EQ(f.subcarrier_index_size(), c.known ? c.n_sc : 0) << c.n_sc;
    EXPECT_EQ(f.bin_flags().size(), c.n_sc);
    EXPECT_EQ(f.ppdu_type(), c.ppdu);
    EXPECT_EQ(f.bandwidth_mhz(), c.bw);
    EXPECT_EQ(f.stbc(), c.stbc);
    EXPECT_EQ(f.center_freq_mhz(), c.centre);
    EXPECT_EQ(f.channel(), 13u);
    EXPECT_EQ(f.secondary_channel(), c.sec);
  }
}

TEST(Esp32Udp, RoundTripRandomFrames) {
  std::mt19937 rng(12345);
  const std::uint16_t sizes[] = {1, 4, 53, 64, 128, 188, 190, 192, 245, 306, 512};
  for (int i = 0; i < 500; ++i) {
    Esp32RawHeader h;
    h.node_id = static_cast<std::uint8_t>(rng());
    h.n_antennas = static_cast<std::uint8_t>(1 + rng() % 4);
    h.n_subcarriers = sizes[rng() % std::size(sizes)];
    h.freq_mhz = rng() % 2 ? 2412 + 5 * (rng() % 13) : static_cast<std::uint32_t>(rng());
    h.sequence = static_cast<std::uint32_t>(rng());
    h.rssi_dbm = static_cast<std::int8_t>(rng());
    h.noise_floor_dbm = static_cast<std::int8_t>(rng());
    std::vector<std::int8_t> p(2u * h.n_antennas * h.n_subcarriers);
    for (auto& x : p) x = static_cast<std::int8_t>(rng());
    DecodeContext ctx;
    ctx.node_prefix = "lab-";
    ctx.receive_time_ns = 1'700'000'000'000'000'000 + i;
    ctx.receive_mono_ns = i;
    const auto r = decode_esp32_udp(bytes(encode_esp32_raw_frame(h, p)), ctx);
    ASSERT_EQ(r.kind, DatagramResult::Kind::frame);
    const auto& f = r.frame;
    EXPECT_EQ(f.node_id(), "lab-esp32-" + std::to_string(h.node_id));
    EXPECT_EQ(f.n_rx(), h.n_antennas);
    EXPECT_EQ(f.n_bins(), h.n_subcarriers);
    EXPECT_EQ(f.sequence(), h.sequence);
    EXPECT_EQ(f.rssi_dbm(0), h.rssi_dbm);
    EXPECT_EQ(f.noise_floor_dbm(), h.noise_floor_dbm);
    EXPECT_EQ(f.channel(), wifi_mhz_to_channel(h.freq_mhz));
    EXPECT_EQ(f.receive_time_ns(), ctx.receive_time_ns);
    EXPECT_EQ(f.receive_mono_ns(), ctx.receive_mono_ns);
    ASSERT_EQ(f.samples().size(), p.size());
    for (std::size_t k = 0; k < p.size(); k += 2) {
      ASSERT_EQ(static_cast<std::int8_t>(f.samples()[k]), p[k + 1]);  // re = second byte
      ASSERT_EQ(static_cast<std::int8_t>(f.samples()[k + 1]), p[k]);  // im = first byte
    }
  }
}

// A stream of concatenated packets with damage, as a file or serial dump would hold it.
struct Collected {
  std::vector<std::string> frames;
  std::vector<std::string> rejects;
  std::vector<std::string> skips;
  bool operator==(const Collected&) const = default;
};

Collected run_stream(const std::string& data, std::mt19937* rng) {
  Collected c;
  StreamCallbacks cb;
  cb.on_frame = [&](v1::CsiFrame&& f) { c.frames.push_back(f.SerializeAsString()); };
  cb.on_reject = [&](const Reject& r) { c.rejects.push_back(r.reason + "@" + std::to_string(r.offset)); };
  cb.on_skip = [&](const Skip& s) { c.skips.push_back(s.kind); };
  auto d = make_esp32_udp_stream_decoder(DecodeContext{}, cb);
  std::size_t i = 0;
  while (i < data.size()) {
    const std::size_t n = rng ? std::min<std::size_t>(data.size() - i, 1 + (*rng)() % 97) : 1;
    d->feed(bytes(data).subspan(i, n));
    i += n;
  }
  d->finish();
  return c;
}

TEST(Esp32Udp, StreamResyncsAndIsChunkingIndependent) {
  std::mt19937 rng(99);
  Esp32RawHeader h;
  h.freq_mhz = 2437;
  std::string s;
  h.n_subcarriers = 64;
  s += random_frame(rng, h);        // frame @0
  s += kVitals;                     // skip
  s += "garbage!";                  // 8 garbage bytes
  h.n_subcarriers = 128;
  h.sequence = 1;
  s += random_frame(rng, h);        // frame
  s += kEvents;                     // skip
  std::string bad = kVector;
  bad[5] = 9;                       // bad n_antennas: rejected, rest skipped silently
  s += bad;
  h.n_subcarriers = 192;
  h.sequence = 2;
  s += random_frame(rng, h);        // frame
  s += kVector.substr(0, 25);       // torn final record

  const auto one = run_stream(s, nullptr);
  EXPECT_EQ(one.frames.size(), 3u);
  EXPECT_EQ(one.skips, (std::vector<std::string>{"esp32_vitals", "esp32_events"}));
  const std::size_t garbage_at = 148 + 32;
  const std::size_t bad_at = garbage_at + 8 + 276 + 18;
  const std::size_t torn_at = bad_at + 28 + 404;
  EXPECT_EQ(one.rejects, (std::vector<std::string>{"garbage_bytes@" + std::to_string(garbage_at),
                                                   "bad_count@" + std::to_string(bad_at),
                                                   "truncated_record@" + std::to_string(torn_at)}));
  for (int trial = 0; trial < 20; ++trial) EXPECT_EQ(run_stream(s, &rng), one);
  // The frames are exactly what the datagram decoder makes of each packet.
  const auto first = decode_esp32_udp(bytes(s.substr(0, 148)), DecodeContext{});
  EXPECT_EQ(one.frames[0], first.frame.SerializeAsString());
}

TEST(Esp32Udp, StreamRejectsImplausibleLengthWithoutSwallowingFrames) {
  std::string huge = kVector;
  huge[6] = '\xff';
  huge[7] = '\xff';  // 65535 subcarriers
  const auto c = run_stream(huge + kVector, nullptr);
  EXPECT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.rejects, (std::vector<std::string>{"implausible_length@0"}));
}

}  // namespace
}  // namespace wdp::ingest
