// libFuzzer target: RuView/ADR-018 ESP32 packets, as a byte stream and as one datagram.
// See stream_fuzz.h for what every input is checked against.
#include "formats/esp32_raw_encoder.h"
#include "formats/esp32_udp.h"
#include "stream_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const auto data = wdp::fuzz::as_bytes(bytes, size);
  wdp::fuzz::fuzz_stream(
      [](const wdp::ingest::DecodeContext& c, wdp::ingest::StreamCallbacks cb) {
        return wdp::ingest::make_esp32_udp_stream_decoder(c, std::move(cb));  // the default-options overload
      },
      data);
  // The same bytes as one datagram, with every secondary-channel setting.
  for (const auto sec : {wdp::v1::SECONDARY_CHANNEL_NONE, wdp::v1::SECONDARY_CHANNEL_ABOVE, wdp::v1::SECONDARY_CHANNEL_BELOW}) {
    const auto r = wdp::ingest::decode_esp32_udp(data, {}, wdp::ingest::Esp32UdpOptions{sec});
    if (r.kind == wdp::ingest::DatagramResult::Kind::frame) wdp::fuzz::check_frame(r.frame);
    if (r.kind == wdp::ingest::DatagramResult::Kind::reject) wdp::fuzz::check_reason(r.reject.reason);
    // The live hot path must accept exactly what the general decoder accepts and publish the same bytes.
    const auto raw = wdp::ingest::parse_esp32_raw(data);
    if (raw.has_value() != (r.kind == wdp::ingest::DatagramResult::Kind::frame)) __builtin_trap();
    if (raw) {
      wdp::ingest::Esp32RawEncoder enc("", wdp::ingest::Esp32UdpOptions{sec});
      const auto got = enc.encode(*raw, 0, 0, 0);
      if (std::string(reinterpret_cast<const char*>(got.data()), got.size()) != r.frame.SerializeAsString()) __builtin_trap();
    }
  }
  return 0;
}
