#pragma once
// The shared libFuzzer harness for stream decoders: the same bytes are decoded whole, in chunks
// of an input-chosen size and (inputs up to 4 KiB) one byte at a time, and every split must give
// the same frames (byte for byte), rejects (reason and offset) and skips. Every frame must hold
// exactly the samples its geometry declares; every reject reason must be a short snake_case code.
// A violation traps, which libFuzzer reports as a crash with the input saved.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "formats/decoder.h"
#include "wdp/csi/frame_view.h"

namespace wdp::fuzz {

using MakeDecoder = std::function<std::unique_ptr<ingest::StreamDecoder>(const ingest::DecodeContext&, ingest::StreamCallbacks)>;

inline void check_frame(const v1::CsiFrame& f) {
  const std::size_t want = std::size_t{f.n_rx()} * f.n_tx() * f.n_bins() * 2 * csi::bytes_per_value(f.sample_type());
  if (want == 0 && f.n_bins() != 0) __builtin_trap();
  if (f.samples().size() != want || f.bin_flags().size() != f.n_bins()) __builtin_trap();
  if (f.subcarrier_index_size() != 0 && f.subcarrier_index_size() != static_cast<int>(f.n_bins())) __builtin_trap();
}

inline void check_reason(const std::string& r) {
  if (r.empty() || r.size() > 32) __builtin_trap();
  for (const char c : r) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) __builtin_trap();
  }
}

struct Tally {
  std::vector<std::string> frames;
  std::vector<std::string> rejects;
  std::size_t skips = 0;
  bool operator==(const Tally&) const = default;
};

inline Tally decode_in_chunks(const MakeDecoder& make, std::span<const std::byte> data, std::size_t chunk) {
  Tally t;
  auto d = make({}, ingest::StreamCallbacks{[&](v1::CsiFrame&& f) {
                                              check_frame(f);
                                              t.frames.push_back(f.SerializeAsString());
                                            },
                                            [&](const ingest::Reject& r) {
                                              check_reason(r.reason);
                                              t.rejects.push_back(r.reason + "@" + std::to_string(r.offset));
                                            },
                                            [&](const ingest::Skip&) { ++t.skips; }});
  for (std::size_t i = 0; i < data.size(); i += chunk) d->feed(data.subspan(i, std::min(chunk, data.size() - i)));
  d->finish();
  return t;
}

inline void fuzz_stream(const MakeDecoder& make, std::span<const std::byte> data) {
  const Tally whole = decode_in_chunks(make, data, data.size() + 1);
  const std::size_t chunk = data.empty() ? 1 : 1 + std::to_integer<std::size_t>(data[0]) % 64;
  if (decode_in_chunks(make, data, chunk) != whole) __builtin_trap();
  if (data.size() <= 4096 && decode_in_chunks(make, data, 1) != whole) __builtin_trap();
}

inline std::span<const std::byte> as_bytes(const std::uint8_t* bytes, std::size_t size) {
  return {reinterpret_cast<const std::byte*>(bytes), size};
}

}  // namespace wdp::fuzz
