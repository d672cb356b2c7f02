#include "formats/atheros.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace wdp::ingest {
namespace {

enum class ByteOrder { unknown, little, big };

// Header field readers in the file's byte order (host is little-endian).
std::uint16_t rd16(std::span<const std::byte> b, std::size_t off, bool big) {
  std::uint16_t v;
  std::memcpy(&v, b.data() + off, 2);
  return big ? __builtin_bswap16(v) : v;
}

std::uint64_t rd64(std::span<const std::byte> b, std::size_t off, bool big) {
  std::uint64_t v;
  std::memcpy(&v, b.data() + off, 8);
  return big ? __builtin_bswap64(v) : v;
}

std::uint8_t u8(std::span<const std::byte> b, std::size_t off) { return static_cast<std::uint8_t>(b[off]); }

// 10-bit two's-complement value at bit `bit` of an LSB-first stream (§8.3); bytes past the end
// read as 0.
std::int16_t bits10(std::span<const std::byte> p, std::size_t bit) {
  const std::size_t i = bit / 8;
  std::uint32_t w = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    if (i + k < p.size()) w |= std::uint32_t{u8(p, i + k)} << (8 * k);
  }
  const auto v = static_cast<std::int16_t>((w >> (bit % 8)) & 0x3FF);
  return v & 0x200 ? static_cast<std::int16_t>(v - 1024) : v;
}

// How well the first bytes of a record read in one byte order (§8.1): self-consistent lengths
// count most, a plausible channel and tone count break ties.
int order_score(std::span<const std::byte> rec, bool big) {
  const std::size_t field_len = rd16(rec, 0, big);
  const std::size_t csi_len = rd16(rec, 2 + 8, big);
  const std::size_t payload_len = rd16(rec, 2 + 23, big);
  const std::uint16_t mhz = rd16(rec, 2 + 10, big);
  const std::uint8_t tones = u8(rec, 2 + 16);
  const bool consistent = field_len == kAtherosHeader + csi_len + payload_len;
  const bool plausible = ((mhz >= 2412 && mhz <= 2484) || (mhz >= 5170 && mhz <= 5825)) && (tones == 56 || tones == 114);
  return (consistent ? 2 : 0) + (plausible ? 1 : 0);
}

std::uint32_t channel_from_mhz(std::uint32_t mhz) {
  if (mhz == 2484) return 14;
  if (mhz >= 2412 && mhz <= 2472 && (mhz - 2412) % 5 == 0) return (mhz - 2412) / 5 + 1;
  if (mhz >= 5170 && mhz <= 5885 && mhz % 5 == 0) return (mhz - 5000) / 5;
  return 0;
}

// Tone position → subcarrier index. The tool does not say; ascending occupied HT tones is the
// usual reading (§8.3): -28…-1, +1…+28 at 20 MHz and -58…-2, +2…+58 at 40 MHz.
std::int32_t tone_index(std::uint32_t k, std::uint32_t tones) {
  const auto half = static_cast<std::int32_t>(tones / 2);
  const auto i = static_cast<std::int32_t>(k);
  if (tones == 56) return i < half ? i - 28 : i - half + 1;
  return i < half ? i - 58 : i - half + 2;
}

class AtherosDecoder final : public StreamDecoder {
 public:
  AtherosDecoder(const DecodeContext& context, StreamCallbacks callbacks)
      : context_(context), callbacks_(std::move(callbacks)) {}

  void feed(std::span<const std::byte> chunk) override {
    if (pending_.empty()) {
      const std::size_t used = parse(chunk);
      pending_.assign(chunk.begin() + static_cast<std::ptrdiff_t>(used), chunk.end());
      return;
    }
    pending_.insert(pending_.end(), chunk.begin(), chunk.end());
    const std::size_t used = parse(pending_);
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
  }

  void finish() override {
    if (pending_.empty()) return;
    const auto n = pending_.size();
    callbacks_.on_reject(Reject{n < 2 + kAtherosHeader ? "truncated_header" : "truncated_payload",
                                "final record cut short after " + std::to_string(n) + " bytes", offset_});
    offset_ += n;
    pending_.clear();
  }

 private:
  // Consumes whole records from `b`; returns the bytes used. At most one record (≤ 64 KiB, the
  // u16 prefix) is left for pending_.
  std::size_t parse(std::span<const std::byte> b) {
    std::size_t pos = 0;
    while (b.size() - pos >= 2) {
      const auto rec = b.subspan(pos);
      bool big = order_ == ByteOrder::big;
      if (order_ == ByteOrder::unknown) {
        if (rec.size() < 2 + kAtherosHeader) break;  // need a header to tell the order
        const int le = order_score(rec, false);
        const int be = order_score(rec, true);
        big = be > le;
        if (std::max(le, be) >= 2) order_ = big ? ByteOrder::big : ByteOrder::little;
      }
      const std::size_t size = 2 + std::size_t{rd16(rec, 0, big)};
      if (rec.size() < size) break;
      record(rec.subspan(2, size - 2), big);
      pos += size;
      offset_ += size;
    }
    return pos;
  }

  void reject(std::string reason, std::string detail) {
    callbacks_.on_reject(Reject{std::move(reason), std::move(detail), offset_});
  }

  void record(std::span<const std::byte> body, bool big) {
    if (body.size() < kAtherosHeader) {
      return reject("truncated_header", "record of " + std::to_string(body.size()) + " bytes (need 25)");
    }
    const std::uint64_t tsf = rd64(body, 0, big);
    const std::size_t csi_len = rd16(body, 8, big);
    const std::uint16_t mhz = rd16(body, 10, big);
    const std::uint8_t noise_floor = u8(body, 13);
    const std::uint8_t rate = u8(body, 14);
    const std::uint8_t bandwidth = u8(body, 15);
    const std::uint32_t tones = u8(body, 16);
    const std::uint32_t nr = u8(body, 17);
    const std::uint32_t nc = u8(body, 18);
    const std::size_t payload_len = rd16(body, 23, big);
    if (body.size() != kAtherosHeader + csi_len + payload_len) {
      return reject("bad_length", "field_len " + std::to_string(body.size()) + " != 25 + csi_len " +
                                      std::to_string(csi_len) + " + payload_len " + std::to_string(payload_len));
    }
    if (csi_len == 0) {
      if (callbacks_.on_skip) callbacks_.on_skip(Skip{"atheros_no_csi"});
      return;
    }
    if (nr < 1 || nr > 3 || nc < 1 || nc > 3 || (tones != 56 && tones != 114)) {
      return reject("bad_count", "nr " + std::to_string(nr) + " nc " + std::to_string(nc) + " num_tones " +
                                     std::to_string(tones));
    }
    if (bandwidth != (tones == 56 ? 0 : 1)) {
      return reject("bad_bandwidth",
                    "bandwidth " + std::to_string(bandwidth) + " with " + std::to_string(tones) + " tones");
    }
    const std::size_t need = atheros_csi_bytes(tones, nr, nc);
    if (csi_len < need) {
      return reject("bad_length", "csi_len " + std::to_string(csi_len) + " < " + std::to_string(need) + " for " +
                                      std::to_string(tones) + "x" + std::to_string(nr) + "x" + std::to_string(nc));
    }
    const auto csi = body.subspan(kAtherosHeader, csi_len);
    const auto payload = body.subspan(kAtherosHeader + csi_len);

    // Stream order: tone, then tx, then rx; imag before real. Output [rx][tx][tone] (re, im).
    std::string samples(std::size_t{nr} * nc * tones * 4, '\0');
    std::size_t bit = 0;
    for (std::uint32_t k = 0; k < tones; ++k) {
      for (std::uint32_t tx = 0; tx < nc; ++tx) {
        for (std::uint32_t rx = 0; rx < nr; ++rx) {
          const std::int16_t im = bits10(csi, bit);
          const std::int16_t re = bits10(csi, bit + 10);
          bit += 20;
          const std::size_t at = ((std::size_t{rx} * nc + tx) * tones + k) * 4;
          std::memcpy(samples.data() + at, &re, 2);
          std::memcpy(samples.data() + at + 2, &im, 2);
        }
      }
    }

    v1::CsiFrame f;
    f.set_node_id(context_.node_override.empty() ? context_.node_prefix + "atheros" : context_.node_override);
    f.set_source_format(v1::SOURCE_FORMAT_ATHEROS);
    f.set_chip("ath9k");
    f.set_sensor_time_ns(static_cast<std::int64_t>(tsf * 1000u));  // TSF µs; wraps only after 292 years
    f.set_receive_time_ns(context_.receive_time_ns);
    f.set_receive_mono_ns(context_.receive_mono_ns);
    f.set_n_rx(nr);
    f.set_n_tx(nc);
    f.set_n_bins(tones);
    for (std::uint32_t k = 0; k < tones; ++k) f.add_subcarrier_index(tone_index(k, tones));
    f.set_bin_flags(std::string(tones, '\0'));
    f.set_sample_type(v1::SAMPLE_TYPE_INT16_LE);
    f.set_samples(std::move(samples));
    f.set_scale(1.0);
    // ath9k reports chain RSSI in dB above the noise floor. Only with a reported noise floor are
    // they dBm; otherwise they are kept as they are and marked not valid as dBm.
    const auto nf = static_cast<std::int8_t>(noise_floor);
    for (std::uint32_t rx = 0; rx < nr; ++rx) f.add_rssi_dbm(u8(body, 20 + rx) + (nf != 0 ? nf : 0));
    f.set_rssi_valid(nf != 0);
    if (nf != 0) {
      f.set_noise_floor_dbm(nf);
      f.set_noise_floor_valid(true);
    }
    f.set_channel(channel_from_mhz(mhz));
    if (bandwidth == 0) f.set_center_freq_mhz(mhz);  // at 40 MHz the secondary side is not recorded
    f.set_bandwidth_mhz(bandwidth == 0 ? 20 : 40);
    f.set_subcarrier_spacing_hz(312'500.0);
    const bool ht = (rate & 0x80) != 0;
    f.set_ppdu_type(ht ? v1::PPDU_TYPE_HT : v1::PPDU_TYPE_NON_HT);
    if (ht) f.set_mcs(rate & 0x7F);
    if (payload.size() >= 16) {  // 802.11 header: addr2 (transmitter) at 10–15
      char mac[18];
      std::snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", u8(payload, 10), u8(payload, 11),
                    u8(payload, 12), u8(payload, 13), u8(payload, 14), u8(payload, 15));
      f.set_source_mac(mac);
    }
    callbacks_.on_frame(std::move(f));
  }

  DecodeContext context_;
  StreamCallbacks callbacks_;
  std::vector<std::byte> pending_;  // an incomplete record
  std::uint64_t offset_ = 0;        // stream offset of the next record
  ByteOrder order_ = ByteOrder::unknown;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_atheros_decoder(const DecodeContext& context, StreamCallbacks callbacks) {
  return std::make_unique<AtherosDecoder>(context, std::move(callbacks));
}

}  // namespace wdp::ingest
