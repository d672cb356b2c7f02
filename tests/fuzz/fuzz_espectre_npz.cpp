// libFuzzer target: the espectre .npz decoder (ZIP + NPY parsing) on arbitrary bytes, fed whole
// and in two chunks. It must never crash, hang or allocate without bound.
#include <cstddef>
#include <cstdint>

#include "formats/espectre_npz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  std::size_t frames = 0;
  wdp::ingest::StreamCallbacks cb{[&](wdp::v1::CsiFrame&&) { ++frames; }, [](const wdp::ingest::Reject&) {}, {}};
  auto whole = wdp::ingest::make_espectre_npz_decoder({}, cb);
  whole->feed(bytes);
  whole->finish();
  auto split = wdp::ingest::make_espectre_npz_decoder({}, cb);
  split->feed(bytes.first(size / 2));
  split->feed(bytes.subspan(size / 2));
  split->finish();
  return 0;
}
