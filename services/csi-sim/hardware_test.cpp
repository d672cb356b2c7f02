// Receiver realism: int quantization with saturation, null bins, noise statistics, determinism,
// and the ESP32 UDP datagram as csi-ingest decodes it.
#include "hardware.h"

#include <gtest/gtest.h>

#include <cmath>

#include "formats/esp32_udp.h"
#include "frame_encoding.h"
#include "simulator.h"

namespace wdp::sim {
namespace {

std::vector<std::complex<double>> flat_channel(const RadioProfile& p, double amplitude) {
  std::vector<std::complex<double>> h(p.n_rx * p.n_tx * p.n_bins());
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = std::polar(amplitude, 0.37 * static_cast<double>(i));
  return h;
}

TEST(Hardware, QuantizationKeepsInt8AndCountsSaturation) {
  const auto p = make_radio_profile("esp32-ht20");
  HardwareParams hp{.snr_db = 300, .phase_offsets = false, .agc = false, .agc_target = 40, .agc_jitter_db = 0};
  Hardware hw(hp, p, 1);
  auto h = flat_channel(p, 1e-3);
  hw.set_reference(h);
  // A deep-fade-free channel with one bin 10× stronger than the rest (a strong reflector).
  std::size_t strong = 0;
  while (p.is_null(strong)) ++strong;
  h[strong] *= 10.0;
  Packet pk;
  hw.apply(h, pk);
  std::uint32_t expected_clipped = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    for (double v : {pk.value[i].real(), pk.value[i].imag()}) expected_clipped += std::round(v) > 127 || std::round(v) < -128;
  }
  for (auto v : pk.samples) {
    EXPECT_GE(v, -128);
    EXPECT_LE(v, 127);
  }
  EXPECT_GT(expected_clipped, 0u);
  EXPECT_EQ(pk.saturated, expected_clipped);
  EXPECT_EQ(hw.saturated_total(), expected_clipped);
}

TEST(Hardware, AgcBringsRmsToTarget) {
  const auto p = make_radio_profile("esp32-ht20");
  HardwareParams hp{.snr_db = 300, .phase_offsets = true, .agc = true, .agc_target = 40, .agc_step_db = 0.5, .agc_jitter_db = 0};
  Hardware hw(hp, p, 2);
  for (double amp : {1e-5, 3e-4, 2e-2}) {
    const auto h = flat_channel(p, amp);
    hw.set_reference(h);
    Packet pk;
    hw.apply(h, pk);
    double sum = 0;
    int n = 0;
    for (std::size_t b = 0; b < p.n_bins(); ++b) {
      if (p.is_null(b)) continue;
      sum += double(pk.samples[2 * b]) * pk.samples[2 * b] + double(pk.samples[2 * b + 1]) * pk.samples[2 * b + 1];
      ++n;
    }
    EXPECT_NEAR(std::sqrt(sum / n), 40.0, 40.0 * (std::pow(10, 0.25 / 20) - 1) + 0.5) << amp;
  }
}

TEST(Hardware, NullAndGuardBinsAreZero) {
  for (const char* name : {"esp32-ht20", "esp32-legacy", "esp32-ht40"}) {
    const auto p = make_radio_profile(name);
    Hardware hw({.snr_db = 10}, p, 3);
    const auto h = flat_channel(p, 1e-3);
    hw.set_reference(h);
    Packet pk;
    hw.apply(h, pk);
    std::size_t nulls = 0;
    for (std::size_t b = 0; b < p.n_bins(); ++b) {
      if (!p.is_null(b)) continue;
      ++nulls;
      EXPECT_EQ(pk.samples[2 * b], 0) << name << " bin " << b;
      EXPECT_EQ(pk.samples[2 * b + 1], 0) << name << " bin " << b;
    }
    EXPECT_GT(nulls, 0u) << name;
  }
  // ESP32 HT20 (LLTF + HT-LTF): DC and guards of both blocks, legacy ±26 then HT ±28 occupancy.
  const auto p = make_radio_profile("esp32-ht20");
  ASSERT_EQ(p.n_bins(), 128u);
  std::size_t nulls = 0;
  for (std::size_t b = 0; b < 128; ++b) nulls += p.is_null(b);
  EXPECT_EQ(nulls, (64u - 52u) + (64u - 56u));
}

TEST(Hardware, ProfilesHaveTheirGeometry) {
  EXPECT_EQ(make_radio_profile("intel5300").n_bins(), 30u);
  EXPECT_EQ(make_radio_profile("nic-ht20").n_bins(), 56u);
  EXPECT_EQ(make_radio_profile("nic-ht40").n_bins(), 114u);
  EXPECT_EQ(make_radio_profile("nic-ht40").n_rx, 3u);
  EXPECT_EQ(make_radio_profile("intel5300").n_tx, 3u);
  EXPECT_EQ(make_radio_profile("esp32-ht20").primary_mhz, 2437u);
  EXPECT_THROW(make_radio_profile("nope"), std::invalid_argument);
}

Simulator make(std::uint64_t seed, const char* scene = "default") {
  SimOptions o;
  o.seed = seed;
  o.hardware.packet_loss = 0.05;
  return Simulator(make_scene(scene, seed), o);
}

TEST(Hardware, SameSeedSameFramesDifferentSeedDifferentNoise) {
  auto a = make(11), b = make(11), c = make(12);
  bool any_diff = false;
  std::size_t lost = 0;
  for (int t = 0; t < 200; ++t) {
    const auto& fa = a.step();
    const auto& fb = b.step();
    const auto& fc = c.step();
    ASSERT_EQ(fa.size(), 3u);
    for (std::size_t i = 0; i < fa.size(); ++i) {
      ASSERT_EQ(fa[i].packet.samples, fb[i].packet.samples) << "tick " << t << " link " << i;
      ASSERT_EQ(fa[i].packet.lost, fb[i].packet.lost);
      ASSERT_EQ(fa[i].time_s, fb[i].time_s);
      any_diff |= fa[i].packet.samples != fc[i].packet.samples;
      lost += fa[i].packet.lost;
    }
  }
  EXPECT_TRUE(any_diff);
  EXPECT_GT(lost, 10u);  // 5 % of 600
  EXPECT_LT(lost, 55u);
}

TEST(Hardware, Esp32DatagramDecodesInCsiIngest) {
  auto sim = make(5);
  const auto& f = sim.step()[1];
  const std::string d = to_esp32_datagram(sim, f);
  EXPECT_EQ(d.size(), 20u + 2u * 128u);
  const auto r = ingest::decode_esp32_udp(std::as_bytes(std::span(d.data(), d.size())), {});
  ASSERT_EQ(r.kind, ingest::DatagramResult::Kind::frame) << r.reject.reason;
  EXPECT_EQ(r.frame.node_id(), "esp32-2");
  EXPECT_EQ(r.frame.sequence(), f.sequence);
  EXPECT_EQ(r.frame.center_freq_mhz(), 2437u);
  ASSERT_EQ(r.frame.samples().size(), f.packet.samples.size());
  for (std::size_t i = 0; i < f.packet.samples.size(); ++i) {
    EXPECT_EQ(static_cast<std::int8_t>(r.frame.samples()[i]), f.packet.samples[i]) << i;  // (re, im) restored
  }
  v1::CsiFrame bus;
  to_csi_frame(sim, f, 123, bus);
  EXPECT_EQ(bus.source_format(), v1::SOURCE_FORMAT_SIMULATOR);
  EXPECT_EQ(bus.samples(), r.frame.samples());
  EXPECT_EQ(bus.subcarrier_index_size(), 128);
  EXPECT_EQ(bus.bin_flags().size(), 128u);
}

}  // namespace
}  // namespace wdp::sim
