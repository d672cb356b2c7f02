#include "formats/esp32_udp.h"

#include <map>
#include <optional>

#include <cstdio>
#include <cstring>
#include <vector>

#include "formats/esp32_layout.h"

namespace wdp::ingest {
namespace {

// The layout depends only on (length, secondary channel) and a node sends a handful of lengths:
// computing it once per shape keeps the per-packet cost flat (it was the top CPU item).
const EspLayout& cached_layout(const std::optional<EspRxInfo>& rx, std::uint16_t n_sc, v1::SecondaryChannel secondary) {
  thread_local std::map<std::pair<std::uint16_t, int>, EspLayout> cache;
  const auto key = std::make_pair(n_sc, static_cast<int>(secondary));
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() > 1024) cache.clear();  // bounded: hostile traffic cannot grow it forever
    it = cache.emplace(key, rx ? esp_layout(*rx, n_sc) : esp_unknown_layout(n_sc, false)).first;
  }
  return it->second;
}


constexpr std::size_t kEventsHeaderSize = 8;
constexpr std::size_t kMaxEvents = 16;
constexpr std::size_t kStreamMaxPairs = 1024;  // firmware buffer maximum: 20 + 4·256·2 bytes

template <class T>
T read_le(std::span<const std::byte> b, std::size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof(T));
  return v;  // host is little-endian (checked in bus_header.h)
}

std::string hex32(std::uint32_t v) {
  char buf[11];
  std::snprintf(buf, sizeof(buf), "0x%08X", v);
  return buf;
}

DatagramResult reject(std::string reason, std::string detail) {
  DatagramResult r;
  r.kind = DatagramResult::Kind::reject;
  r.reject = Reject{std::move(reason), std::move(detail), 0};
  return r;
}

DatagramResult skip(std::string kind) {
  DatagramResult r;
  r.kind = DatagramResult::Kind::skip;
  r.skip.kind = std::move(kind);
  return r;
}

// Header checks shared by datagrams and streams; on success sets the full frame size.
DatagramResult check_raw_header(std::span<const std::byte> d, std::size_t& frame_size) {
  const auto n_ant = static_cast<std::uint8_t>(d[5]);
  const auto n_sc = read_le<std::uint16_t>(d, 6);
  if (n_ant < 1 || n_ant > 4) return reject("bad_count", "n_antennas " + std::to_string(n_ant));
  if (n_sc < 1) return reject("bad_count", "n_subcarriers 0");
  frame_size = kEsp32RawHeaderSize + 2u * n_ant * n_sc;
  DatagramResult ok;
  ok.kind = DatagramResult::Kind::frame;
  return ok;
}

// d holds at least the full frame (checked by the caller).
DatagramResult decode_raw(std::span<const std::byte> d, const DecodeContext& ctx, const Esp32UdpOptions& opt) {
  const auto node = static_cast<std::uint8_t>(d[4]);
  const auto n_ant = static_cast<std::uint8_t>(d[5]);
  const auto n_sc = read_le<std::uint16_t>(d, 6);
  const std::size_t payload = 2u * n_ant * n_sc;
  const auto freq = read_le<std::uint32_t>(d, 8);

  DatagramResult r;
  r.kind = DatagramResult::Kind::frame;
  auto& f = r.frame;
  f.set_node_id(ctx.node_override.empty() ? ctx.node_prefix + "esp32-" + std::to_string(node) : ctx.node_override);
  f.set_source_format(v1::SOURCE_FORMAT_ESP32_UDP);
  f.set_sequence(read_le<std::uint32_t>(d, 12));
  f.set_has_sequence(true);
  f.set_receive_time_ns(ctx.receive_time_ns);
  f.set_receive_mono_ns(ctx.receive_mono_ns);
  f.set_n_rx(n_ant);
  f.set_n_tx(1);
  f.set_n_bins(n_sc);
  // Antenna-major payload is already the [rx][tx=1][bin] order.
  set_esp_samples(f, std::string_view(reinterpret_cast<const char*>(d.data() + kEsp32RawHeaderSize), payload));
  f.add_rssi_dbm(static_cast<std::int8_t>(d[16]));
  f.set_rssi_valid(true);
  f.set_noise_floor_dbm(static_cast<std::int8_t>(d[17]));
  f.set_noise_floor_valid(true);
  f.set_channel(wifi_mhz_to_channel(freq));
  f.set_secondary_channel(opt.secondary);

  const auto rx = esp_rx_from_length(n_sc, opt.secondary);
  apply_esp_layout(f, cached_layout(rx, n_sc, opt.secondary), freq);
  if (rx) {
    f.set_ppdu_type(rx->ppdu);
    f.set_bandwidth_mhz(rx->bandwidth_mhz);
    f.set_stbc(rx->stbc);
  }
  return r;
}

bool known_stream_magic(std::uint32_t m) {
  return m == kEsp32RawMagic || m == kEsp32VitalsMagic || m == kEsp32EventsMagic;
}

class Esp32UdpStream final : public StreamDecoder {
 public:
  Esp32UdpStream(const DecodeContext& ctx, StreamCallbacks cb, const Esp32UdpOptions& opt)
      : ctx_(ctx), cb_(std::move(cb)), opt_(opt) {}

  void feed(std::span<const std::byte> chunk) override {
    buf_.insert(buf_.end(), chunk.begin(), chunk.end());
    process();
    compact();
  }

  void finish() override {
    process();
    const std::size_t left = buf_.size() - pos_;
    if (left > 0) {
      if (left >= 4 && known_stream_magic(read_le<std::uint32_t>(buf_, pos_))) {
        emit_reject("truncated_record", std::to_string(left) + " bytes at end of stream", offset_at(pos_));
      } else {
        note_garbage(left);
      }
      pos_ = buf_.size();
    }
    flush_garbage();
    compact();
  }

 private:
  std::uint64_t offset_at(std::size_t p) const { return base_ + p; }

  void emit_reject(std::string reason, std::string detail, std::uint64_t offset) {
    if (cb_.on_reject) cb_.on_reject(Reject{std::move(reason), std::move(detail), offset});
  }

  void note_garbage(std::size_t n) {
    if (after_reject_) return;  // part of a record already reported
    if (garbage_ == 0) garbage_offset_ = offset_at(pos_);
    garbage_ += n;
  }

  void flush_garbage() {
    if (garbage_ > 0) emit_reject("garbage_bytes", std::to_string(garbage_) + " bytes skipped to resync", garbage_offset_);
    garbage_ = 0;
    after_reject_ = false;
  }

  // Drops one byte and keeps scanning for the next magic.
  void resync_after_reject(std::string reason, std::string detail) {
    flush_garbage();
    emit_reject(std::move(reason), std::move(detail), offset_at(pos_));
    after_reject_ = true;
    pos_ += 1;
  }

  void process() {
    const std::span<const std::byte> b(buf_);
    while (buf_.size() - pos_ >= 4) {
      const std::size_t avail = buf_.size() - pos_;
      const auto rec = b.subspan(pos_);
      const auto magic = read_le<std::uint32_t>(rec, 0);
      if (!known_stream_magic(magic)) {
        note_garbage(1);
        ++pos_;
        continue;
      }
      if (magic == kEsp32VitalsMagic) {
        if (avail < kEsp32VitalsSize) return;
        flush_garbage();
        if (cb_.on_skip) cb_.on_skip(Skip{"esp32_vitals"});
        pos_ += kEsp32VitalsSize;
        continue;
      }
      if (magic == kEsp32EventsMagic) {
        if (avail < kEventsHeaderSize) return;
        const auto n = read_le<std::uint16_t>(rec, 6);
        if (n > kMaxEvents) {
          resync_after_reject("bad_count", "event_count " + std::to_string(n));
          continue;
        }
        const std::size_t size = kEventsHeaderSize + 5u * n;
        if (avail < size) return;
        flush_garbage();
        if (cb_.on_skip) cb_.on_skip(Skip{"esp32_events"});
        pos_ += size;
        continue;
      }
      if (avail < kEsp32RawHeaderSize) return;
      std::size_t size = 0;
      auto h = check_raw_header(rec, size);
      if (h.kind == DatagramResult::Kind::reject) {
        resync_after_reject(std::move(h.reject.reason), std::move(h.reject.detail));
        continue;
      }
      if ((size - kEsp32RawHeaderSize) / 2 > kStreamMaxPairs) {
        resync_after_reject("implausible_length", std::to_string(size) + "-byte frame");
        continue;
      }
      if (avail < size) return;
      flush_garbage();
      auto r = decode_raw(rec.first(size), ctx_, opt_);
      if (cb_.on_frame) cb_.on_frame(std::move(r.frame));
      pos_ += size;
    }
  }

  void compact() {
    if (pos_ == 0) return;
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    base_ += pos_;
    pos_ = 0;
  }

  DecodeContext ctx_;
  StreamCallbacks cb_;
  Esp32UdpOptions opt_;
  std::vector<std::byte> buf_;
  std::size_t pos_ = 0;        // next unconsumed byte in buf_
  std::uint64_t base_ = 0;     // stream offset of buf_[0]
  std::uint64_t garbage_ = 0;  // skipped bytes not yet reported
  std::uint64_t garbage_offset_ = 0;
  bool after_reject_ = false;  // skipping the rest of a record that was already rejected
};

}  // namespace

DatagramResult decode_esp32_udp(std::span<const std::byte> d, const DecodeContext& ctx) {
  return decode_esp32_udp(d, ctx, Esp32UdpOptions{});
}

DatagramResult decode_esp32_udp(std::span<const std::byte> d, const DecodeContext& ctx, const Esp32UdpOptions& opt) {
  if (d.size() < 4) return reject("truncated_header", std::to_string(d.size()) + " bytes");
  const auto magic = read_le<std::uint32_t>(d, 0);
  switch (magic) {
    case kEsp32RawMagic: break;
    case kEsp32VitalsMagic:
      // ADR-032 plans a 28-byte header under the same magic: only exactly 32 bytes is vitals.
      if (d.size() != kEsp32VitalsSize) return reject("bad_length", "vitals packet of " + std::to_string(d.size()) + " bytes (need 32)");
      return skip("esp32_vitals");
    case kEsp32EventsMagic: {
      if (d.size() < kEventsHeaderSize) return reject("truncated_header", std::to_string(d.size()) + "-byte events packet");
      const auto n = read_le<std::uint16_t>(d, 6);
      if (n > kMaxEvents) return reject("bad_count", "event_count " + std::to_string(n));
      if (d.size() < kEventsHeaderSize + 5u * n) {
        return reject("truncated_payload", std::to_string(d.size()) + " bytes for " + std::to_string(n) + " events");
      }
      return skip("esp32_events");
    }
    // Cannot be decoded (no reference frame, §3.5); later firmware reuses it for a V2 raw frame.
    case kEsp32CompressedMagic: return skip("esp32_compressed");
    case kEsp32FeatureStateMagic: return skip("esp32_feature_state");
    case kEsp32SyncMagic: return skip("esp32_sync");
    default: return reject("bad_magic", "magic " + hex32(magic));
  }
  if (d.size() < kEsp32RawHeaderSize) return reject("truncated_header", std::to_string(d.size()) + " bytes (need 20)");
  std::size_t size = 0;
  auto h = check_raw_header(d, size);
  if (h.kind == DatagramResult::Kind::reject) return h;
  if (d.size() < size) {
    return reject("truncated_payload", std::to_string(d.size()) + " bytes, header says " + std::to_string(size));
  }
  return decode_raw(d.first(size), ctx, opt);
}

std::unique_ptr<StreamDecoder> make_esp32_udp_stream_decoder(const DecodeContext& context, StreamCallbacks callbacks) {
  return make_esp32_udp_stream_decoder(context, std::move(callbacks), Esp32UdpOptions{});
}

std::unique_ptr<StreamDecoder> make_esp32_udp_stream_decoder(const DecodeContext& context, StreamCallbacks callbacks,
                                                             const Esp32UdpOptions& options) {
  return std::make_unique<Esp32UdpStream>(context, std::move(callbacks), options);
}

}  // namespace wdp::ingest
