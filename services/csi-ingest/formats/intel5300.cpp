#include "formats/intel5300.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace wdp::ingest {
namespace {

std::uint8_t u8(std::span<const std::byte> b, std::size_t off) { return static_cast<std::uint8_t>(b[off]); }

template <class T>
T read_le(std::span<const std::byte> b, std::size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof(T));
  return v;  // host is little-endian (checked in bus_header.h)
}

// 8 bits starting at bit `bit`, LSB-first within bytes (§6.3). Bytes past the end read as 0, so a
// read can never leave the payload even if the length formula were relaxed.
std::int8_t bits8(std::span<const std::byte> p, std::size_t bit) {
  const std::size_t i = bit / 8;
  const unsigned r = bit % 8;
  const unsigned lo = i < p.size() ? u8(p, i) : 0u;
  const unsigned hi = i + 1 < p.size() ? u8(p, i + 1) : 0u;
  return static_cast<std::int8_t>(static_cast<std::uint8_t>((lo >> r) | (hi << (8 - r))));
}

double dbinv(double db) { return std::pow(10.0, db / 10.0); }

// True subcarrier index of each 802.11n group (§6.5): Ng = 2 at 20 MHz, Ng = 4 at 40 MHz.
std::array<std::int32_t, kIntel5300Groups> group_indices(bool forty) {
  std::array<std::int32_t, kIntel5300Groups> idx{};
  for (std::int32_t g = 0; g < 15; ++g) {
    if (forty) {
      idx[g] = -58 + 4 * g;       // -58 … -2
      idx[15 + g] = 2 + 4 * g;    // +2 … +58
    } else {
      idx[g] = -28 + 2 * g;       // -28 … -2, then -1 below
      idx[15 + g] = 1 + 2 * g;    // +1 … +27, then +28 below
    }
  }
  if (!forty) {
    idx[14] = -1;
    idx[29] = 28;
  }
  return idx;
}

class Intel5300Decoder final : public StreamDecoder {
 public:
  Intel5300Decoder(const DecodeContext& context, StreamCallbacks callbacks)
      : context_(context), callbacks_(std::move(callbacks)) {}

  void feed(std::span<const std::byte> chunk) override {
    std::size_t pos = 0;
    // Whole records straight from the chunk when nothing is pending; otherwise top up the pending
    // record first. Either way at most one record (≤ 64 KiB) is ever buffered.
    while (pos < chunk.size()) {
      if (pending_.empty()) {
        const auto rest = chunk.subspan(pos);
        const std::size_t need = record_size(rest);
        if (need != 0 && rest.size() >= need) {
          record(rest.first(need));
          pos += need;
          continue;
        }
        pending_.assign(rest.begin(), rest.end());
        return;
      }
      const std::size_t need = record_size(pending_);
      const std::size_t want = need == 0 ? 2 - pending_.size() : need - pending_.size();
      const std::size_t take = std::min(want, chunk.size() - pos);
      pending_.insert(pending_.end(), chunk.begin() + pos, chunk.begin() + pos + take);
      pos += take;
      const std::size_t now = record_size(pending_);
      if (now != 0 && pending_.size() == now) {
        record(pending_);
        pending_.clear();
      }
    }
  }

  void finish() override {
    if (pending_.empty()) return;
    const auto n = pending_.size();
    callbacks_.on_reject(Reject{n < 3 + kIntel5300BfeeHeader ? "truncated_header" : "truncated_payload",
                                "final record cut short: " + std::to_string(n) + " of " +
                                    std::to_string(n < 2 ? 2 : record_size(pending_)) + " bytes",
                                offset_});
    offset_ += n;
    pending_.clear();
  }

 private:
  // Total bytes of the record starting at `b`, or 0 if its length prefix is incomplete.
  static std::size_t record_size(std::span<const std::byte> b) {
    if (b.size() < 2) return 0;
    return 2 + ((std::size_t{u8(b, 0)} << 8) | u8(b, 1));
  }

  void reject(std::string reason, std::string detail) {
    callbacks_.on_reject(Reject{std::move(reason), std::move(detail), offset_});
  }

  // One complete record (prefix included); advances offset_ past it.
  void record(std::span<const std::byte> rec) {
    decode(rec.subspan(2));
    offset_ += rec.size();
  }

  void decode(std::span<const std::byte> field) {
    if (field.empty()) return reject("bad_length", "field_len 0 (no record code)");
    if (u8(field, 0) != kIntel5300BfeeCode) {
      if (callbacks_.on_skip) callbacks_.on_skip(Skip{"intel5300_non_csi_record"});
      return;
    }
    const auto body = field.subspan(1);
    if (body.size() < kIntel5300BfeeHeader) {
      return reject("truncated_header", "bfee body of " + std::to_string(body.size()) + " bytes (need 20)");
    }
    const auto timestamp_low = read_le<std::uint32_t>(body, 0);
    const auto bfee_count = read_le<std::uint16_t>(body, 4);
    const std::uint32_t n_rx = u8(body, 8);
    const std::uint32_t n_tx = u8(body, 9);
    const std::array<std::uint8_t, 3> rssi{u8(body, 10), u8(body, 11), u8(body, 12)};
    const auto noise = static_cast<std::int8_t>(body[13]);
    const std::uint8_t agc = u8(body, 14);
    const std::uint8_t antenna_sel = u8(body, 15);
    const std::size_t len = read_le<std::uint16_t>(body, 16);
    const std::uint16_t rate = read_le<std::uint16_t>(body, 18);
    if (n_rx < 1 || n_rx > 3 || n_tx < 1 || n_tx > 3) {
      return reject("bad_count", "Nrx " + std::to_string(n_rx) + " Ntx " + std::to_string(n_tx));
    }
    if (len != intel5300_payload_len(n_rx, n_tx)) {
      return reject("bad_length", "payload len " + std::to_string(len) + " for " + std::to_string(n_rx) + "x" +
                                      std::to_string(n_tx) + " (need " +
                                      std::to_string(intel5300_payload_len(n_rx, n_tx)) + ")");
    }
    if (body.size() - kIntel5300BfeeHeader < len) {
      return reject("truncated_payload", "payload len " + std::to_string(len) + " but record holds " +
                                             std::to_string(body.size() - kIntel5300BfeeHeader));
    }
    const auto payload = body.subspan(kIntel5300BfeeHeader, len);

    // Raw chain i goes to row perm[i], only for Nrx = 3 with a true permutation (what the
    // reference reader does: it never permutes fewer chains and leaves a broken perm alone).
    std::array<std::uint32_t, 3> perm{};
    for (unsigned i = 0; i < 3; ++i) perm[i] = (antenna_sel >> (2 * i)) & 3u;
    const bool permute = n_rx == 3 && perm[0] < 3 && perm[1] < 3 && perm[2] < 3 && perm[0] != perm[1] &&
                         perm[0] != perm[2] && perm[1] != perm[2];
    std::array<std::uint32_t, 3> row_of{0, 1, 2};
    if (permute) row_of = perm;

    const std::size_t n_values = std::size_t{n_rx} * n_tx * kIntel5300Groups * 2;
    std::string samples(n_values, '\0');
    double csi_pwr = 0;
    std::size_t bit = 0;
    for (std::uint32_t sc = 0; sc < kIntel5300Groups; ++sc) {
      bit += 3;  // group header
      for (std::uint32_t rx = 0; rx < n_rx; ++rx) {
        for (std::uint32_t tx = 0; tx < n_tx; ++tx) {
          const std::int8_t re = bits8(payload, bit);
          const std::int8_t im = bits8(payload, bit + 8);
          bit += 16;
          const std::size_t k = ((std::size_t{row_of[rx]} * n_tx + tx) * kIntel5300Groups + sc) * 2;
          samples[k] = static_cast<char>(re);
          samples[k + 1] = static_cast<char>(im);
          csi_pwr += double(re) * re + double(im) * im;
        }
      }
    }
    if (csi_pwr == 0) return reject("zero_power", "all CSI values are 0: scaling undefined");

    // get_scaled_csi (§6.6): one linear factor per frame.
    double rssi_mag = 0;
    for (auto r : rssi) {
      if (r != 0) rssi_mag += dbinv(r);
    }
    const double total_rss_dbm = 10.0 * std::log10(rssi_mag) - 44.0 - agc;
    const double scale = dbinv(total_rss_dbm) / (csi_pwr / kIntel5300Groups);
    const double thermal = dbinv(noise == -127 ? -92.0 : double(noise));
    const double total_noise = thermal + scale * n_rx * n_tx;
    double factor = std::sqrt(scale / total_noise);
    if (n_tx == 2) factor *= std::sqrt(2.0);
    if (n_tx == 3) factor *= std::sqrt(dbinv(4.5));

    // timestamp_low is a u32 µs clock: unwrap it, assuming the NIC clock only moves forward.
    if (have_time_) time_us_ += static_cast<std::uint32_t>(timestamp_low - last_time_low_);
    else time_us_ = timestamp_low;
    have_time_ = true;
    last_time_low_ = timestamp_low;

    const bool ht = (rate & 0x100) != 0;
    const bool forty = (rate & 0x800) != 0;
    v1::CsiFrame f;
    f.set_node_id(context_.node_override.empty() ? context_.node_prefix + "intel5300" : context_.node_override);
    f.set_source_format(v1::SOURCE_FORMAT_INTEL5300);
    f.set_chip("iwl5300");
    f.set_sequence(bfee_count);  // 16-bit; the frame pipeline tracks its wrap
    f.set_has_sequence(true);
    f.set_sensor_time_ns(static_cast<std::int64_t>(time_us_ * 1000u));
    f.set_sensor_time_is_epoch(false);
    f.set_receive_time_ns(context_.receive_time_ns);
    f.set_receive_mono_ns(context_.receive_mono_ns);
    f.set_n_rx(n_rx);
    f.set_n_tx(n_tx);
    f.set_n_bins(kIntel5300Groups);
    for (auto i : group_indices(forty)) f.add_subcarrier_index(i);
    f.set_bin_flags(std::string(kIntel5300Groups, '\0'));
    f.set_sample_type(v1::SAMPLE_TYPE_INT8);
    f.set_samples(std::move(samples));
    f.set_scale(factor);
    // Per sample row (after the permutation), converted to dBm as the CSI Tool does (rssi − 44 − agc);
    // the raw value is dBm + 44 + agc_gain. A chain reporting 0 is absent, so RSSI is then invalid.
    std::array<std::int32_t, 3> row_rssi{};
    bool rssi_ok = true;
    for (std::uint32_t rx = 0; rx < n_rx; ++rx) {
      row_rssi[row_of[rx]] = std::int32_t{rssi[rx]} - 44 - agc;
      rssi_ok = rssi_ok && rssi[rx] != 0;
    }
    for (std::uint32_t r = 0; r < n_rx; ++r) f.add_rssi_dbm(row_rssi[r]);
    f.set_rssi_valid(rssi_ok);
    if (noise != -127) {  // -127 = not measured
      f.set_noise_floor_dbm(noise);
      f.set_noise_floor_valid(true);
    }
    f.set_bandwidth_mhz(forty ? 40 : 20);
    f.set_subcarrier_spacing_hz(312'500.0);
    f.set_ppdu_type(ht ? v1::PPDU_TYPE_HT : v1::PPDU_TYPE_NON_HT);
    if (ht) f.set_mcs(rate & 0x7F);
    f.set_agc_gain(agc);
    for (std::uint32_t rx = 0; rx < n_rx; ++rx) f.add_antenna_permutation(row_of[rx]);
    callbacks_.on_frame(std::move(f));
  }

  DecodeContext context_;
  StreamCallbacks callbacks_;
  std::vector<std::byte> pending_;  // an incomplete record: the u16 prefix bounds it to 64 KiB
  std::uint64_t offset_ = 0;        // stream offset of the first pending byte
  bool have_time_ = false;
  std::uint32_t last_time_low_ = 0;
  std::uint64_t time_us_ = 0;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_intel5300_decoder(const DecodeContext& context, StreamCallbacks callbacks) {
  return std::make_unique<Intel5300Decoder>(context, std::move(callbacks));
}

}  // namespace wdp::ingest
