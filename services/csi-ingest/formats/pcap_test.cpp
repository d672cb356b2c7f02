#include "formats/pcap.h"

#include <gtest/gtest.h>

#include "formats/decode_for_test.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <set>

#include "formats/nexmon.h"
#include "wdp/testing/test_data.h"

namespace wdp::ingest {
namespace {

using testing::Bytes;
using testing::read_file;

struct Event {
  enum { frame, reject, skip } kind;
  std::size_t index;  // into frames / rejects / skips
};

struct Collected {
  std::vector<v1::CsiFrame> frames;
  std::vector<Reject> rejects;
  std::vector<Skip> skips;
  std::vector<Event> order;  // one per callback, in order
};

Collected decode(const Bytes& data, std::size_t chunk = 0) {
  Collected c;
  auto d = make_nexmon_pcap_decoder(
      {}, StreamCallbacks{[&](v1::CsiFrame&& f) {
                            c.order.push_back({Event::frame, c.frames.size()});
                            c.frames.push_back(std::move(f));
                          },
                          [&](const Reject& r) {
                            c.order.push_back({Event::reject, c.rejects.size()});
                            c.rejects.push_back(r);
                          },
                          [&](const Skip& s) {
                            c.order.push_back({Event::skip, c.skips.size()});
                            c.skips.push_back(s);
                          }});
  const std::span<const std::byte> all(data);
  if (chunk == 0) chunk = data.size() + 1;
  for (std::size_t i = 0; i < data.size(); i += chunk) d->feed(all.subspan(i, std::min(chunk, data.size() - i)));
  d->finish();
  return c;
}

// --- a tiny pcap writer for hand-made captures ---------------------------------------------------

struct PcapWriter {
  bool big = false, nanos = false;
  std::uint32_t linktype = 1;
  Bytes out;

  void u32(std::uint32_t v) {
    if (big) v = __builtin_bswap32(v);
    const auto* p = reinterpret_cast<const std::byte*>(&v);
    out.insert(out.end(), p, p + 4);
  }
  void u16(std::uint16_t v) {
    if (big) v = __builtin_bswap16(v);
    const auto* p = reinterpret_cast<const std::byte*>(&v);
    out.insert(out.end(), p, p + 2);
  }
  PcapWriter& header() {
    u32(nanos ? 0xA1B23C4Du : 0xA1B2C3D4u);
    u16(2);
    u16(4);
    u32(0);
    u32(0);
    u32(262144);
    u32(linktype);
    return *this;
  }
  PcapWriter& record(const Bytes& pkt, std::uint32_t sec, std::uint32_t frac, std::uint32_t orig = 0) {
    u32(sec);
    u32(frac);
    u32(static_cast<std::uint32_t>(pkt.size()));
    u32(orig ? orig : static_cast<std::uint32_t>(pkt.size()));
    out.insert(out.end(), pkt.begin(), pkt.end());
    return *this;
  }
};

void be16(Bytes& b, std::size_t off, std::uint16_t v) {
  b[off] = std::byte(v >> 8);
  b[off + 1] = std::byte(v & 0xFF);
}

// Ethernet + IPv4 (+ UDP) around `payload`.
Bytes ipv4_packet(const Bytes& payload, std::uint8_t proto = 17, std::uint16_t sport = 5500, std::uint16_t dport = 5500,
                  std::size_t ihl_words = 5, std::size_t pad = 0) {
  const std::size_t ihl = ihl_words * 4;
  const std::size_t l4 = proto == 17 ? 8 + payload.size() : payload.size();
  Bytes p(14 + ihl + l4 + pad);
  for (int i = 0; i < 6; ++i) p[i] = std::byte{0xFF};
  const std::uint8_t src[6] = {0x4E, 0x45, 0x58, 0x4D, 0x4F, 0x4E};
  std::memcpy(&p[6], src, 6);
  be16(p, 12, 0x0800);
  p[14] = std::byte(0x40 | ihl_words);
  be16(p, 16, static_cast<std::uint16_t>(ihl + l4));
  p[22] = std::byte{1};  // TTL
  p[23] = std::byte(proto);
  const std::uint8_t sip[4] = {10, 10, 10, 10}, dip[4] = {255, 255, 255, 255};
  std::memcpy(&p[26], sip, 4);
  std::memcpy(&p[30], dip, 4);
  std::size_t at = 14 + ihl;
  if (proto == 17) {
    be16(p, at, sport);
    be16(p, at + 2, dport);
    be16(p, at + 4, static_cast<std::uint16_t>(8 + payload.size()));
    at += 8;
  }
  std::memcpy(&p[at], payload.data(), payload.size());
  return p;
}

Bytes nexmon_payload(std::uint8_t fill, std::size_t n_bins = 64) {
  Bytes d(kNexmonHeader + 4 * n_bins, std::byte{fill});
  d[0] = d[1] = std::byte{0x11};
  const std::uint16_t chanspec = n_bins == 64 ? 0xD024 : 0xE02A, chip = 0x0065;
  std::memcpy(&d[14], &chanspec, 2);
  std::memcpy(&d[16], &chip, 2);
  return d;
}

std::int16_t i16_at(const v1::CsiFrame& f, std::size_t k) {
  std::int16_t v;
  std::memcpy(&v, f.samples().data() + 2 * k, 2);
  return v;
}

// --- the real capture against the MATLAB golden decode -------------------------------------------

TEST(Pcap, Nexmon43455c0GoldenEveryRowExact) {
  const auto data = read_file(wdp::testing::csi_test_file("Gi-z_CSIKit__example_43455c0.pcap"));
  ASSERT_EQ(data.size(), 622'696u);
  const auto c = decode(data);
  ASSERT_EQ(c.frames.size(), 548u);
  ASSERT_EQ(c.rejects.size(), 18u);
  EXPECT_TRUE(c.skips.empty());
  // The 18 frames with a 1028-byte CSI section, by packet index.
  std::vector<std::size_t> rejected_at;
  for (std::size_t i = 0; i < c.order.size(); ++i) {
    if (c.order[i].kind == Event::reject) rejected_at.push_back(i);
  }
  EXPECT_EQ(rejected_at, (std::vector<std::size_t>{118, 120, 129, 130, 146, 148, 154, 158, 163, 165, 193, 199, 220,
                                                   221, 224, 238, 281, 301}));
  for (const auto& r : c.rejects) EXPECT_EQ(r.reason, "bad_length");

  std::FILE* g = std::fopen(wdp::testing::csi_test_file("Gi-z_CSIKit__example_43455c0.pcap.golden.csv").c_str(), "r");
  ASSERT_NE(g, nullptr);
  char line[256];
  std::size_t rows = 0, checked = 0;
  while (std::fgets(line, sizeof(line), g)) {
    int row, sc, re, im;
    if (std::sscanf(line, "%d,%d,%d,%d", &row, &sc, &re, &im) != 4) continue;  // comments, header
    ++rows;
    if (row >= 548) {  // the reader's pre-allocated, never-filled rows
      EXPECT_EQ(re, 0);
      EXPECT_EQ(im, 0);
      continue;
    }
    const auto& s = c.frames[static_cast<std::size_t>(row)].samples();
    std::int16_t v[2];
    std::memcpy(v, s.data() + 4 * sc, 4);
    if (v[0] != re || v[1] != im) ADD_FAILURE() << "row " << row << " sc " << sc << ": " << v[0] << "," << v[1];
    ++checked;
  }
  std::fclose(g);
  EXPECT_EQ(rows, 144'896u);
  EXPECT_EQ(checked, 548u * 256);

  const auto& f = c.frames[0];
  EXPECT_EQ(f.chip(), "bcm43455c0");
  EXPECT_EQ(f.sample_type(), v1::SAMPLE_TYPE_INT16_LE);
  EXPECT_EQ(f.n_bins(), 256u);
  EXPECT_EQ(f.bandwidth_mhz(), 80u);
  EXPECT_EQ(f.channel(), 36u);
  EXPECT_EQ(f.center_freq_mhz(), 5210u);
  EXPECT_EQ(f.source_mac(), "98:de:d0:48:92:66");
  EXPECT_EQ(f.rssi_dbm(0), -58);
  EXPECT_TRUE(f.sensor_time_is_epoch());
  // 2020-09-24 14:28:10 UTC, spanning 5.21 s.
  EXPECT_GE(f.sensor_time_ns(), 1'600'957'690'000'000'000);
  EXPECT_LT(f.sensor_time_ns(), 1'600'957'691'000'000'000);
  const auto span = c.frames.back().sensor_time_ns() - f.sensor_time_ns();
  EXPECT_GT(span, 5'000'000'000);
  EXPECT_LT(span, 5'300'000'000);
  for (const auto& fr : c.frames) {
    EXPECT_TRUE(fr.rssi_dbm(0) == -58 || fr.rssi_dbm(0) == -59);
    EXPECT_EQ(i16_at(fr, 0), 14373);
  }
}

TEST(Pcap, ByteAtATimeEqualsWholeFile) {
  const auto data = read_file(wdp::testing::csi_test_file("Gi-z_CSIKit__example_43455c0.pcap"));
  const auto whole = decode(data);
  for (std::size_t chunk : {1u, 13u, 1058u, 65536u}) {
    const auto parts = decode(data, chunk);
    ASSERT_EQ(parts.frames.size(), whole.frames.size()) << "chunk " << chunk;
    ASSERT_EQ(parts.rejects.size(), whole.rejects.size());
    for (std::size_t i = 0; i < whole.rejects.size(); ++i) EXPECT_EQ(parts.rejects[i].offset, whole.rejects[i].offset);
    for (std::size_t i = 0; i < whole.frames.size(); ++i) {
      ASSERT_EQ(parts.frames[i].SerializeAsString(), whole.frames[i].SerializeAsString()) << "chunk " << chunk;
    }
  }
}

TEST(Pcap, TruncatedFileReportsTheTornRecord) {
  const auto data = read_file(wdp::testing::csi_test_file("Gi-z_CSIKit__example_43455c0.pcap"));
  const Bytes cut(data.begin(), data.end() - 500);
  const auto whole = decode(data);
  const auto c = decode(cut, 1);
  EXPECT_EQ(c.frames.size(), whole.frames.size() - 1);
  ASSERT_EQ(c.rejects.size(), 19u);
  EXPECT_EQ(c.rejects.back().reason, "truncated_payload");
  EXPECT_EQ(c.rejects.back().offset, data.size() - (16 + 42 + 1042));  // the last record is a regular frame
}

// --- hand-made captures --------------------------------------------------------------------------

TEST(Pcap, ByteOrdersAndTimestampResolutions) {
  for (bool big : {false, true}) {
    for (bool nanos : {false, true}) {
      PcapWriter w;
      w.big = big;
      w.nanos = nanos;
      w.header().record(ipv4_packet(nexmon_payload(1)), 1'700'000'000, 123'456);
      for (std::size_t chunk : {0u, 1u}) {
        const auto c = decode(w.out, chunk);
        ASSERT_EQ(c.frames.size(), 1u) << big << nanos;
        EXPECT_TRUE(c.rejects.empty());
        EXPECT_EQ(c.frames[0].sensor_time_ns(), 1'700'000'000'000'000'000 + 123'456 * (nanos ? 1 : 1000));
        EXPECT_EQ(c.frames[0].n_bins(), 64u);
      }
    }
  }
}

TEST(Pcap, OtherPacketsAreSkippedAndDamageRejected) {
  PcapWriter w;
  w.header();
  Bytes arp(60);
  be16(arp, 12, 0x0806);
  auto bad_ihl = ipv4_packet(nexmon_payload(2));
  bad_ihl[14] = std::byte{0x43};
  auto bad_udp_len = ipv4_packet(nexmon_payload(3));
  be16(bad_udp_len, 14 + 20 + 4, 4000);
  auto fragment = ipv4_packet(nexmon_payload(4));
  be16(fragment, 14 + 6, 0x2000);  // more fragments
  auto vlan = ipv4_packet(nexmon_payload(5));
  vlan.insert(vlan.begin() + 12, {std::byte{0x81}, std::byte{0}, std::byte{0}, std::byte{7}});
  auto bad_magic = nexmon_payload(6);
  bad_magic[0] = std::byte{0x22};
  w.record(arp, 1, 0)                                             // skip: not IPv4
      .record(ipv4_packet(Bytes(8), 1), 1, 1)                      // skip: ICMP
      .record(ipv4_packet(nexmon_payload(7), 17, 5500, 53), 1, 2)  // frame: port 5500 as source
      .record(ipv4_packet(nexmon_payload(8), 17, 1234, 5353), 1, 3)  // skip: other port
      .record(ipv4_packet(nexmon_payload(9)), 1, 4, 5000)          // reject: snap length cut it
      .record(bad_ihl, 1, 5)                                       // reject
      .record(bad_udp_len, 1, 6)                                   // reject
      .record(fragment, 1, 7)                                      // skip
      .record(vlan, 1, 8)                                          // frame
      .record(ipv4_packet(nexmon_payload(10), 17, 5500, 5500, 6), 1, 9)  // frame: IP options
      .record(ipv4_packet(nexmon_payload(11), 17, 5500, 5500, 5, 4), 1, 9)  // reject: bytes past the UDP length
      .record(ipv4_packet(bad_magic), 1, 10)                       // reject from the Nexmon decoder
      .record(Bytes(10), 1, 11);                                   // reject: Ethernet header cut
  for (std::size_t chunk : {0u, 1u, 3u}) {
    const auto c = decode(w.out, chunk);
    ASSERT_EQ(c.frames.size(), 3u);
    EXPECT_EQ(static_cast<std::uint8_t>(c.frames[0].samples()[0]), 7u);
    EXPECT_EQ(static_cast<std::uint8_t>(c.frames[1].samples()[0]), 5u);
    EXPECT_EQ(static_cast<std::uint8_t>(c.frames[2].samples()[0]), 10u);
    EXPECT_EQ(c.frames[2].samples().size(), 256u);
    std::vector<std::string> reasons, kinds;
    for (const auto& r : c.rejects) reasons.push_back(r.reason);
    for (const auto& s : c.skips) kinds.push_back(s.kind);
    EXPECT_EQ(reasons, (std::vector<std::string>{"snap_truncated", "bad_ip_header", "bad_udp_length", "bad_length",
                                                 "bad_magic", "truncated_header"}));
    EXPECT_EQ(kinds, (std::vector<std::string>{"pcap_non_ipv4", "pcap_non_udp", "pcap_other_port",
                                               "pcap_ip_fragment"}));
  }
}

TEST(Pcap, LinuxCookedCapture) {
  PcapWriter w;
  w.linktype = 113;
  auto pkt = ipv4_packet(nexmon_payload(1));
  pkt.insert(pkt.begin(), 2, std::byte{0});  // 14-byte Ethernet header → 16-byte SLL header
  be16(pkt, 14, 0x0800);
  w.header().record(pkt, 5, 6);
  const auto c = decode(w.out, 1);
  EXPECT_EQ(c.frames.size(), 1u);
  EXPECT_TRUE(c.rejects.empty());
}

TEST(Pcap, UnsupportedContainersAndLinkTypesStop) {
  const Bytes pcapng{std::byte{0x0A}, std::byte{0x0D}, std::byte{0x0D}, std::byte{0x0A}, std::byte{0x1C},
                     std::byte{0},    std::byte{0},    std::byte{0},    std::byte{0x4D}, std::byte{0x3C},
                     std::byte{0x2B}, std::byte{0x1A}, std::byte{1},    std::byte{0},    std::byte{0},
                     std::byte{0},    std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF},
                     std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF}, std::byte{0x1C}};
  for (std::size_t chunk : {0u, 1u}) {
    auto c = decode(pcapng, chunk);
    ASSERT_EQ(c.rejects.size(), 1u);
    EXPECT_EQ(c.rejects[0].reason, "unsupported_container");
    Bytes text(100, std::byte{'x'});
    c = decode(text, chunk);
    ASSERT_EQ(c.rejects.size(), 1u);
    EXPECT_EQ(c.rejects[0].reason, "unsupported_container");
  }
  PcapWriter w;
  w.linktype = 105;  // 802.11
  w.header().record(Bytes(40), 0, 0);
  const auto c = decode(w.out);
  ASSERT_EQ(c.rejects.size(), 1u);
  EXPECT_EQ(c.rejects[0].reason, "unsupported_linktype");
}

TEST(Pcap, AbsurdRecordLengthStopsWithOffset) {
  PcapWriter w;
  w.header().record(ipv4_packet(nexmon_payload(1)), 0, 0);
  const std::size_t second = w.out.size();
  w.u32(0);
  w.u32(0);
  w.u32(0x7FFFFFFF);
  w.u32(0x7FFFFFFF);
  w.record(ipv4_packet(nexmon_payload(2)), 0, 0);
  for (std::size_t chunk : {0u, 1u}) {
    const auto c = decode(w.out, chunk);
    EXPECT_EQ(c.frames.size(), 1u);
    ASSERT_EQ(c.rejects.size(), 1u);
    EXPECT_EQ(c.rejects[0].reason, "bad_length");
    EXPECT_EQ(c.rejects[0].offset, second);
  }
}

TEST(Pcap, ShortFilesAreTruncatedHeaders) {
  PcapWriter w;
  w.header();
  for (std::size_t n : {1u, 23u, 30u}) {
    Bytes b(w.out.begin(), w.out.begin() + std::min(n, w.out.size()));
    b.resize(n, std::byte{0});
    const auto c = decode(b, 1);
    ASSERT_EQ(c.rejects.size(), 1u) << n;
    EXPECT_EQ(c.rejects[0].reason, "truncated_header");
    EXPECT_EQ(c.rejects[0].offset, n < 24 ? 0u : 24u);
  }
  EXPECT_TRUE(decode(w.out, 1).rejects.empty());  // a header and no packets is a valid, empty capture
}

TEST(Pcap, ReaderYieldsUdpPayloadsWithTimes) {
  PcapWriter w;
  w.header().record(ipv4_packet(Bytes(5, std::byte{9}), 17, 1111, 2222), 3, 4);
  std::vector<UdpPacket> got;
  std::vector<Bytes> payloads;
  PcapReader r(PcapCallbacks{[&](const UdpPacket& u) {
                               got.push_back(u);
                               payloads.emplace_back(u.payload.begin(), u.payload.end());
                             },
                             [](const Reject& rej) { ADD_FAILURE() << rej.reason; }, nullptr});
  r.feed(w.out);
  r.finish();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].capture_time_ns, 3'000'004'000);
  EXPECT_EQ(got[0].src_port, 1111);
  EXPECT_EQ(got[0].dst_port, 2222);
  EXPECT_EQ(got[0].src_ip, 0x0A0A0A0Au);
  EXPECT_EQ(got[0].dst_ip, 0xFFFFFFFFu);
  EXPECT_EQ(got[0].offset, 24u);
  EXPECT_EQ(payloads[0], Bytes(5, std::byte{9}));
}

TEST(Pcap, GarbageAfterAValidHeaderNeverCrashes) {
  std::mt19937 rng(11);
  for (int round = 0; round < 30; ++round) {
    PcapWriter w;
    w.big = round % 2;
    w.header();
    for (int i = 0; i < 20; ++i) {
      Bytes pkt(rng() % 300);
      for (auto& b : pkt) b = std::byte(rng() & 0xFF);
      if (pkt.size() > 40 && i % 2) pkt = ipv4_packet(pkt, 17);
      w.record(pkt, 0, 0);
    }
    for (int i = 0; i < 50; ++i) w.out.push_back(std::byte(rng() & 0xFF));
    const auto whole = decode(w.out);
    const auto bytes = decode(w.out, 1);
    EXPECT_EQ(whole.frames.size(), bytes.frames.size());
    EXPECT_EQ(whole.rejects.size(), bytes.rejects.size());
    EXPECT_EQ(whole.skips.size(), bytes.skips.size());
  }
}

}  // namespace
}  // namespace wdp::ingest
