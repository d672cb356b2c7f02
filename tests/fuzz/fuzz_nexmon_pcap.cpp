// libFuzzer target: libpcap files of Nexmon CSI (pcap reader, then the Nexmon datagram decoder),
// and the same bytes as one live datagram. The file is decoded whole, in chunks of an input-chosen
// size and one byte at a time: every split must give the same result, and every frame must hold
// exactly the samples its geometry declares.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/pcap.h"
#include "formats/nexmon.h"

namespace {

using namespace wdp::ingest;

struct Tally {
  std::size_t frames = 0, rejects = 0, skips = 0;
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

void check_frame(const wdp::v1::CsiFrame& f) {
  const std::size_t want = std::size_t{f.n_rx()} * f.n_tx() * f.n_bins() * 2 * sample_bytes(f.sample_type());
  if (f.samples().size() != want || f.subcarrier_index_size() != static_cast<int>(f.n_bins())) __builtin_trap();
}

Tally run(std::span<const std::byte> data, std::size_t chunk) {
  Tally t;
  auto d = make_nexmon_pcap_decoder({}, StreamCallbacks{[&](wdp::v1::CsiFrame&& f) {
                                                     check_frame(f);
                                                     ++t.frames;
                                                   },
                                                   [&](const Reject&) { ++t.rejects; },
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
  // The same bytes as a single live datagram.
  const auto r = decode_nexmon_udp(data, {});
  if (r.kind == DatagramResult::Kind::frame) check_frame(r.frame);
  return 0;
}
