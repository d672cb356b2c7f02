// libFuzzer target: Espressif CSI_DATA text lines and raw console logs. The same bytes are
// decoded whole, in chunks of an input-chosen size and one byte at a time: every split must give
// the same frames, rejects and skips.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "formats/espidf_csi_data.h"

namespace {

using namespace wdp::ingest;

// What a run produced; serialised frames so any difference between splits is caught.
struct Tally {
  std::vector<std::string> frames;
  std::vector<std::string> rejects;
  std::size_t skips = 0;
  bool operator==(const Tally&) const = default;
};

std::size_t sample_bytes(wdp::v1::SampleType t) {
  switch (t) {
    case wdp::v1::SAMPLE_TYPE_INT8: return 1;
    case wdp::v1::SAMPLE_TYPE_INT16_LE: return 2;
    case wdp::v1::SAMPLE_TYPE_FLOAT32_LE: return 4;
    default: return 8;
  }
}

// Geometry invariants every decoded frame must satisfy.
void check_frame(const wdp::v1::CsiFrame& f) {
  const std::size_t want = std::size_t{f.n_rx()} * f.n_tx() * f.n_bins() * 2 * sample_bytes(f.sample_type());
  if (f.samples().size() != want || f.bin_flags().size() != f.n_bins()) __builtin_trap();
  if (f.subcarrier_index_size() != 0 && f.subcarrier_index_size() != static_cast<int>(f.n_bins())) __builtin_trap();
}

// Reject reasons are short stable snake_case codes.
void check_reason(const std::string& r) {
  if (r.empty() || r.size() > 32) __builtin_trap();
  for (const char c : r) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) __builtin_trap();
  }
}

Tally run(std::span<const std::byte> data, std::size_t chunk) {
  Tally t;
  auto d = make_espidf_csi_data_decoder({}, StreamCallbacks{[&](wdp::v1::CsiFrame&& f) {
                                             check_frame(f);
                                             t.frames.push_back(f.SerializeAsString());
                                           },
                                           [&](const Reject& r) {
                                             check_reason(r.reason);
                                             t.rejects.push_back(r.reason + "@" + std::to_string(r.offset));
                                           },
                                           [&](const Skip&) { ++t.skips; }});
  for (std::size_t i = 0; i < data.size(); i += chunk) d->feed(data.subspan(i, std::min(chunk, data.size() - i)));
  d->finish();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::span<const std::byte> data(reinterpret_cast<const std::byte*>(bytes), size);
  const Tally whole = run(data, size + 1);
  const std::size_t chunk = size == 0 ? 1 : 1 + std::to_integer<std::size_t>(data[0]) % 64;
  if (run(data, chunk) != whole) __builtin_trap();
  if (size <= 4096 && run(data, 1) != whole) __builtin_trap();
  return 0;
}
