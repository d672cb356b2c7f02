// libFuzzer target: espectre .npz datasets (ZIP + NPY).
// See stream_fuzz.h for what every input is checked against.
#include "formats/espectre_npz.h"
#include "stream_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const auto data = wdp::fuzz::as_bytes(bytes, size);
  wdp::fuzz::fuzz_stream(wdp::ingest::make_espectre_npz_decoder, data);
  return 0;
}
