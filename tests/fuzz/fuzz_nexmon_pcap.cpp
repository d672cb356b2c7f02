// libFuzzer target: libpcap files of Nexmon CSI, and the same bytes as one live Nexmon datagram.
// See stream_fuzz.h for what every input is checked against.
#include "formats/nexmon.h"
#include "formats/pcap.h"
#include "stream_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const auto data = wdp::fuzz::as_bytes(bytes, size);
  wdp::fuzz::fuzz_stream(wdp::ingest::make_nexmon_pcap_decoder, data);
  const auto r = wdp::ingest::decode_nexmon_udp(data, {});
  if (r.kind == wdp::ingest::DatagramResult::Kind::frame) wdp::fuzz::check_frame(r.frame);
  if (r.kind == wdp::ingest::DatagramResult::Kind::reject) wdp::fuzz::check_reason(r.reject.reason);
  return 0;
}
