// libFuzzer target: Intel 5300 .dat (Linux 802.11n CSI Tool) record streams.
// See stream_fuzz.h for what every input is checked against.
#include "formats/intel5300.h"
#include "stream_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const auto data = wdp::fuzz::as_bytes(bytes, size);
  wdp::fuzz::fuzz_stream(wdp::ingest::make_intel5300_decoder, data);
  return 0;
}
