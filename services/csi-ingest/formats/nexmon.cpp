#include "formats/nexmon.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>

namespace wdp::ingest {
namespace {

template <class T>
T read_le(std::span<const std::byte> b, std::size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof(T));
  return v;  // host is little-endian (checked in bus_header.h)
}

DatagramResult reject(std::string reason, std::string detail) {
  DatagramResult r;
  r.kind = DatagramResult::Kind::reject;
  r.reject = Reject{std::move(reason), std::move(detail), 0};
  return r;
}

std::string hex16(std::uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%04X", v);
  return buf;
}

// How a chip stores its bins (§7.3 chip ids, §7.5 formats). nman = 0 means int16 pairs.
struct ChipInfo {
  const char* name;
  unsigned nman;
  unsigned nexp;
};

bool chip_info(std::uint16_t id, ChipInfo& out) {
  switch (id) {
    case 0x0065:
    case 0xA6DC: out = {"bcm43455c0", 0, 0}; return true;
    case 0x0001: out = {"bcm4339", 0, 0}; return true;
    case 0xDEAD:
    case 0x0003: out = {"bcm4358", 9, 5}; return true;
    case 0x006A:
    case 0xE834: out = {"bcm4366c0", 12, 6}; return true;
    default: return false;
  }
}

// Packed-float bins (§7.5) to (re, im) float32, normalised so the largest component of the packet
// has its top bit at bit 10, exactly as the vendor reader does.
std::string unpack_float(std::span<const std::byte> bins, std::size_t nfft, unsigned nman, unsigned nexp) {
  struct Bin {
    int e;
    std::uint32_t re, im;
    bool re_neg, im_neg;
  };
  std::vector<Bin> b(nfft);
  const std::uint32_t mag_mask = (1u << (nman - 1)) - 1;
  int maxbit = -(1 << (nexp - 1));
  for (std::size_t k = 0; k < nfft; ++k) {
    const auto w = read_le<std::uint32_t>(bins, 4 * k);
    int e = static_cast<int>(w & ((1u << nexp) - 1));
    if (e >= (1 << (nexp - 1))) e -= 1 << nexp;
    b[k] = {e, (w >> (nexp + nman)) & mag_mask, (w >> nexp) & mag_mask, ((w >> (nexp + 2 * nman - 1)) & 1) != 0,
            ((w >> (nexp + nman - 1)) & 1) != 0};
    if (const auto both = b[k].re | b[k].im; both != 0) {
      maxbit = std::max(maxbit, e + static_cast<int>(std::bit_width(both)) - 1);
    }
  }
  const int shift = 10 - maxbit;
  // A non-zero magnitude never shifts left by more than 10 (its own exponent is ≤ maxbit), and
  // right shifts are bounded by nman, so no shift here is out of range.
  auto value = [&](std::uint32_t mag, int e, bool neg) -> float {
    if (mag == 0) return 0.0f;
    const int s = e + shift;
    std::uint32_t v = 0;
    if (s < -static_cast<int>(nman)) v = 0;
    else if (s < 0) v = mag >> -s;
    else v = mag << s;
    return neg ? -static_cast<float>(v) : static_cast<float>(v);
  };
  std::string out(nfft * 8, '\0');
  for (std::size_t k = 0; k < nfft; ++k) {
    const float re = value(b[k].re, b[k].e, b[k].re_neg);
    const float im = value(b[k].im, b[k].e, b[k].im_neg);
    std::memcpy(out.data() + 8 * k, &re, 4);
    std::memcpy(out.data() + 8 * k + 4, &im, 4);
  }
  return out;
}

std::string mac_string(std::span<const std::byte> m) {
  char buf[18];
  std::snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", unsigned(m[0]), unsigned(m[1]), unsigned(m[2]),
                unsigned(m[3]), unsigned(m[4]), unsigned(m[5]));
  return buf;
}

// Occupied-tone edges of the widest HT/VHT allocation per bandwidth: bins outside carry no channel.
bool is_null_bin(std::int32_t k, std::uint32_t bw) {
  const std::int32_t a = k < 0 ? -k : k;
  switch (bw) {
    case 20: return a == 0 || a > 28;
    case 40: return a < 2 || a > 58;
    default: return a < 2 || a > 122;  // 80 MHz
  }
}

}  // namespace

DatagramResult decode_nexmon_udp(std::span<const std::byte> d, const DecodeContext& ctx) {
  if (d.size() < kNexmonHeader) return reject("truncated_header", std::to_string(d.size()) + " bytes (need 18)");
  if (d[0] != std::byte{0x11} || d[1] != std::byte{0x11}) {
    return reject("bad_magic", "magic " + hex16(static_cast<std::uint16_t>(std::uint16_t(d[0]) << 8 | std::uint16_t(d[1]))));
  }
  const auto chip_id = read_le<std::uint16_t>(d, 16);
  ChipInfo chip{};
  if (!chip_info(chip_id, chip)) return reject("unknown_chip", "chip " + hex16(chip_id));
  const auto chanspec = read_le<std::uint16_t>(d, 14);
  std::uint32_t bw = 0;
  switch ((chanspec >> 11) & 7) {
    case 2: bw = 20; break;
    case 3: bw = 40; break;
    case 4: bw = 80; break;
    default: return reject("bad_chanspec", "chanspec " + hex16(chanspec) + ": bandwidth bits give no nfft of 64/128/256");
  }
  const std::size_t nfft = std::size_t{bw} / 20 * 64;
  const std::size_t want = kNexmonHeader + 4 * nfft;
  if (d.size() < want) {
    return reject("truncated_payload", std::to_string(d.size()) + " bytes, chanspec needs " + std::to_string(want));
  }
  if (d.size() > want) {
    return reject("bad_length", std::to_string(d.size()) + " bytes, chanspec needs exactly " + std::to_string(want));
  }
  const auto bins = d.subspan(kNexmonHeader);

  DatagramResult r;
  r.kind = DatagramResult::Kind::frame;
  auto& f = r.frame;
  f.set_node_id(ctx.node_override.empty() ? ctx.node_prefix + "nexmon" : ctx.node_override);
  f.set_link_id(read_le<std::uint16_t>(d, 12) & 0x3F);  // core (bits 0–2) and spatial stream (3–5)
  f.set_source_format(v1::SOURCE_FORMAT_NEXMON);
  f.set_chip(chip.name);
  f.set_sequence(read_le<std::uint16_t>(d, 10) >> 4);  // 802.11 sequence number, fragment dropped
  f.set_has_sequence(true);
  f.set_receive_time_ns(ctx.receive_time_ns);
  f.set_receive_mono_ns(ctx.receive_mono_ns);
  f.set_n_rx(1);  // one datagram per (core, stream)
  f.set_n_tx(1);
  f.set_n_bins(static_cast<std::uint32_t>(nfft));
  std::string flags(nfft, '\0');
  const auto half = static_cast<std::int32_t>(nfft / 2);
  for (std::int32_t k = 0; k < static_cast<std::int32_t>(nfft); ++k) {
    const std::int32_t sc = k < half ? k : k - static_cast<std::int32_t>(nfft);  // FFT order
    f.add_subcarrier_index(sc);
    if (is_null_bin(sc, bw)) flags[static_cast<std::size_t>(k)] = static_cast<char>(v1::BIN_FLAG_NULL);
  }
  f.set_bin_flags(std::move(flags));
  if (chip.nman == 0) {
    f.set_sample_type(v1::SAMPLE_TYPE_INT16_LE);  // already (re, im) int16 LE
    f.set_samples(std::string(reinterpret_cast<const char*>(bins.data()), bins.size()));
  } else {
    f.set_sample_type(v1::SAMPLE_TYPE_FLOAT32_LE);
    f.set_samples(unpack_float(bins, nfft, chip.nman, chip.nexp));
  }
  f.set_scale(1.0);
  // Bytes 2–3 are `11 11` on stock firmware; the variant firmware puts RSSI (i8 dBm) in byte 2.
  if (!(d[2] == std::byte{0x11} && d[3] == std::byte{0x11})) {
    f.add_rssi_dbm(static_cast<std::int8_t>(d[2]));
    f.set_rssi_valid(true);
  }
  f.set_source_mac(mac_string(d.subspan(4, 6)));
  // Chanspec (§7.4): centre channel, control sideband in 20 MHz steps from the lowest, band.
  const std::uint32_t centre = chanspec & 0xFF;
  const std::uint32_t sideband = (chanspec >> 8) & 7;
  const std::uint32_t band = chanspec & 0xC000;
  const std::uint32_t below = bw == 20 ? 0 : bw / 10 - 2;  // centre minus the lowest 20 MHz channel
  const std::uint32_t control = centre >= below ? centre - below + 4 * sideband : 0;
  if (band == 0xC000) {
    f.set_center_freq_mhz(5000 + 5 * centre);
    f.set_channel(control);
  } else if (band == 0) {
    f.set_center_freq_mhz(centre == 14 ? 2484 : 2407 + 5 * centre);
    f.set_channel(control);
  }
  if (bw == 40) f.set_secondary_channel(sideband == 0 ? v1::SECONDARY_CHANNEL_ABOVE : v1::SECONDARY_CHANNEL_BELOW);
  f.set_bandwidth_mhz(bw);
  f.set_subcarrier_spacing_hz(312'500.0);
  return r;
}

DatagramResult decode_nexmon_udp(std::span<const std::byte> payload, const DecodeContext& context,
                                 std::int64_t capture_time_ns) {
  auto r = decode_nexmon_udp(payload, context);
  if (r.kind == DatagramResult::Kind::frame) {
    r.frame.set_sensor_time_ns(capture_time_ns);
    r.frame.set_sensor_time_is_epoch(true);
  }
  return r;
}

}  // namespace wdp::ingest
