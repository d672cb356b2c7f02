#include "formats/esp32_raw_encoder.h"

#include <algorithm>
#include <cstring>

#include "formats/esp32_layout.h"

namespace wdp::ingest {
namespace {

// Protocol-buffers wire format, the subset CsiFrame needs. Field tags are (number << 3) | type.
constexpr std::uint32_t kVarint = 0, kFixed64 = 1, kLengthDelimited = 2;
constexpr std::uint32_t tag(std::uint32_t field, std::uint32_t type) { return (field << 3) | type; }

std::byte* put_varint(std::byte* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<std::byte>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<std::byte>(v);
  return p;
}

std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

std::uint32_t zigzag(std::int32_t v) {
  return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}

// proto3 leaves out scalars equal to zero.
std::byte* put_uint(std::byte* p, std::uint32_t field, std::uint64_t v) {
  if (v == 0) return p;
  return put_varint(put_varint(p, tag(field, kVarint)), v);
}

std::byte* put_double(std::byte* p, std::uint32_t field, double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  if (bits == 0) return p;
  p = put_varint(p, tag(field, kFixed64));
  std::memcpy(p, &bits, sizeof(bits));  // little-endian host (checked in bus_header.h)
  return p + sizeof(bits);
}

std::byte* put_bytes(std::byte* p, std::uint32_t field, const void* data, std::size_t size) {
  if (size == 0) return p;
  p = put_varint(put_varint(p, tag(field, kLengthDelimited)), size);
  std::memcpy(p, data, size);
  return p + size;
}

void append(std::string& s, const std::byte* begin, const std::byte* end) {
  s.append(reinterpret_cast<const char*>(begin), static_cast<std::size_t>(end - begin));
}

// (imag, real) -> (re, im): swaps the two bytes of every pair, eight bytes at a time.
void swap_pairs(std::span<const std::byte> in, std::byte* out) {
  constexpr std::uint64_t kLow = 0x00FF00FF00FF00FFull;
  std::size_t k = 0;
  for (; k + 8 <= in.size(); k += 8) {
    std::uint64_t v;
    std::memcpy(&v, in.data() + k, 8);
    v = ((v & kLow) << 8) | ((v >> 8) & kLow);
    std::memcpy(out + k, &v, 8);
  }
  for (; k + 1 < in.size(); k += 2) {
    out[k] = in[k + 1];
    out[k + 1] = in[k];
  }
}

template <class T>
T read_le(std::span<const std::byte> b, std::size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof(T));
  return v;
}

}  // namespace

std::optional<Esp32RawView> parse_esp32_raw(std::span<const std::byte> d) {
  if (d.size() < kEsp32RawHeaderSize || read_le<std::uint32_t>(d, 0) != kEsp32RawMagic) return std::nullopt;
  Esp32RawView v;
  v.node = static_cast<std::uint8_t>(d[4]);
  v.n_antennas = static_cast<std::uint8_t>(d[5]);
  v.n_subcarriers = read_le<std::uint16_t>(d, 6);
  if (v.n_antennas < 1 || v.n_antennas > 4 || v.n_subcarriers < 1) return std::nullopt;
  const std::size_t payload = 2u * v.n_antennas * v.n_subcarriers;
  if (d.size() < kEsp32RawHeaderSize + payload) return std::nullopt;
  v.freq_mhz = read_le<std::uint32_t>(d, 8);
  v.sequence = read_le<std::uint32_t>(d, 12);
  v.rssi_dbm = static_cast<std::int8_t>(d[16]);
  v.noise_floor_dbm = static_cast<std::int8_t>(d[17]);
  v.payload = d.subspan(kEsp32RawHeaderSize, payload);
  return v;
}

Esp32RawEncoder::Esp32RawEncoder(std::string node_prefix, Esp32UdpOptions options)
    : node_prefix_(std::move(node_prefix)), options_(options) {}

const std::string& Esp32RawEncoder::node_id(std::uint8_t node) {
  std::string& id = node_ids_[node];
  if (id.empty()) id = node_prefix_ + "esp32-" + std::to_string(node);
  return id;
}

const Esp32RawEncoder::Shape& Esp32RawEncoder::shape(std::uint16_t n_sc) {
  auto it = shapes_.find(n_sc);
  if (it != shapes_.end()) return *it->second;
  if (shapes_.size() >= 64) shapes_.clear();  // bounded: hostile lengths cannot grow it forever

  auto s = std::make_unique<Shape>();
  const auto rx = esp_rx_from_length(n_sc, options_.secondary);
  const EspLayout layout = rx ? esp_layout(*rx, n_sc) : esp_unknown_layout(n_sc, false);
  std::vector<std::byte> buf(16 + 5 * layout.index.size() + 16 + layout.flags.size());
  std::byte* p = buf.data();
  if (layout.known && !layout.index.empty()) {
    std::size_t packed = 0;
    for (const auto i : layout.index) packed += varint_size(zigzag(i));
    p = put_varint(put_varint(p, tag(14, kLengthDelimited)), packed);
    for (const auto i : layout.index) p = put_varint(p, zigzag(i));
  }
  p = put_bytes(p, 15, layout.flags.data(), layout.flags.size());
  append(s->index_and_flags, buf.data(), p);
  s->known = layout.known;
  s->grid_offset_mhz = layout.grid_offset_mhz;
  s->spacing_hz = layout.spacing_hz;
  if (rx) {
    s->bandwidth_mhz = rx->bandwidth_mhz;
    s->ppdu = rx->ppdu;
    s->stbc = rx->stbc;
  }
  return *shapes_.emplace(n_sc, std::move(s)).first->second;
}

std::span<const std::byte> Esp32RawEncoder::encode(const Esp32RawView& f, std::int64_t receive_time_ns,
                                                   std::int64_t receive_mono_ns, std::uint64_t ingest_sequence) {
  const std::size_t size = encode_into(out_, 0, f, receive_time_ns, receive_mono_ns, ingest_sequence);
  return {out_.data(), size};  // after encode_into: it may move the buffer
}

std::size_t Esp32RawEncoder::encode_into(std::vector<std::byte>& buffer, std::size_t at, const Esp32RawView& f,
                                         std::int64_t receive_time_ns, std::int64_t receive_mono_ns,
                                         std::uint64_t ingest_sequence) {
  const Shape& sh = shape(f.n_subcarriers);
  const std::string& node = node_id(f.node);
  // Fixed fields take at most ~130 bytes; the rest is the three variable-length blocks.
  const std::size_t bound = 160 + node.size() + sh.index_and_flags.size() + f.payload.size();
  if (buffer.size() < at + bound) buffer.resize(std::max(at + bound, 2 * buffer.size()));
  std::byte* const begin = buffer.data() + at;
  std::byte* p = begin;

  // Field numbers as in proto/wdp/v1/csi_frame.proto, written in ascending order like protobuf.
  p = put_bytes(p, 1, node.data(), node.size());                  // node_id
  p = put_uint(p, 3, v1::SOURCE_FORMAT_ESP32_UDP);                // source_format
  p = put_uint(p, 5, f.sequence);                                 // sequence
  p = put_uint(p, 6, 1);                                          // has_sequence
  p = put_uint(p, 9, static_cast<std::uint64_t>(receive_time_ns));  // int64: two's complement
  p = put_uint(p, 10, static_cast<std::uint64_t>(receive_mono_ns));
  p = put_uint(p, 11, f.n_antennas);                              // n_rx
  p = put_uint(p, 12, 1);                                         // n_tx
  p = put_uint(p, 13, f.n_subcarriers);                           // n_bins
  std::memcpy(p, sh.index_and_flags.data(), sh.index_and_flags.size());  // 14, 15
  p += sh.index_and_flags.size();
  p = put_uint(p, 16, v1::SAMPLE_TYPE_INT8);                      // sample_type
  // samples: ESP-IDF (imag, real) pairs swapped to (re, im), values unchanged.
  p = put_varint(put_varint(p, tag(17, kLengthDelimited)), f.payload.size());
  swap_pairs(f.payload, p);
  p += f.payload.size();
  p = put_double(p, 18, 1.0);                                     // scale
  const std::uint32_t rssi = zigzag(f.rssi_dbm);                  // rssi_dbm: packed, one chain
  p = put_varint(put_varint(p, tag(20, kLengthDelimited)), varint_size(rssi));
  p = put_varint(p, rssi);
  p = put_uint(p, 21, 1);                                         // rssi_valid
  p = put_uint(p, 22, zigzag(f.noise_floor_dbm));                 // noise_floor_dbm
  p = put_uint(p, 23, 1);                                         // noise_floor_valid
  p = put_uint(p, 24, wifi_mhz_to_channel(f.freq_mhz));           // channel
  const bool centre_known = sh.known && f.freq_mhz != 0;
  p = put_uint(p, 25, centre_known ? static_cast<std::uint32_t>(static_cast<std::int64_t>(f.freq_mhz) + sh.grid_offset_mhz) : 0);
  p = put_uint(p, 26, sh.bandwidth_mhz);
  p = put_double(p, 27, sh.spacing_hz);
  p = put_uint(p, 28, sh.ppdu);
  p = put_uint(p, 29, options_.secondary);
  p = put_uint(p, 30, sh.stbc ? 1 : 0);
  p = put_uint(p, 35, ingest_sequence);
  return static_cast<std::size_t>(p - begin);
}

}  // namespace wdp::ingest
