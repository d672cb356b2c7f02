#include "csi_ingest.h"

#include <arpa/inet.h>
#include <spdlog/spdlog.h>

#include "formats/esp32_udp.h"
#include "wdp/bus/clock.h"

namespace wdp::ingest {
namespace {

std::string address_key(const sockaddr_in& a) {
  char buf[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &a.sin_addr, buf, sizeof(buf));
  return buf;
}

}  // namespace

CsiIngestService::CsiIngestService(CsiIngestOptions options, runtime::ServiceRuntime& rt)
    : options_(std::move(options)),
      rt_(rt),
      allow_(options_.allow),
      udp_(options_.udp),
      rejects_(rt.metrics()),
      pipeline_(options_.pipeline, rt.metrics(), rejects_,
                [&rt](const std::string& topic, const v1::CsiFrame& f) { return rt.publisher().publish(topic, f); }),
      datagrams_(rt.metrics().counter("wdp_csi_ingest_datagrams_total", "UDP datagrams received", {{"source", "esp32-udp"}})) {
  spdlog::info("listening for ESP32 CSI on udp://{}:{}{}", options_.udp.address, udp_.port(),
               allow_.empty() ? "" : " (allow-list active)");
}

void CsiIngestService::on_datagram(std::span<const std::byte> datagram, const sockaddr_in& sender, bool truncated) {
  datagrams_.inc();
  if (!allow_.allows(ntohl(sender.sin_addr.s_addr))) {
    rejects_.reject("esp32-udp", "not_allowed", "sender " + address_key(sender));
    return;
  }
  if (truncated) {
    rejects_.reject("esp32-udp", "oversized_datagram", "larger than " + std::to_string(options_.udp.max_datagram));
    return;
  }
  DecodeContext ctx;
  ctx.node_prefix = options_.node_prefix;
  ctx.receive_time_ns = bus::wall_ns();
  ctx.receive_mono_ns = bus::mono_ns();
  auto r = decode_esp32_udp(datagram, ctx);
  switch (r.kind) {
    case DatagramResult::Kind::reject:
      rejects_.reject("esp32-udp", r.reject.reason, r.reject.detail);
      return;
    case DatagramResult::Kind::skip:
      rejects_.skip("esp32-udp", r.skip.kind);
      return;
    case DatagramResult::Kind::frame:
      // Boards flashed with one image share a node id; the sender address keeps their sequences apart.
      pipeline_.process(r.frame, "esp32-udp", address_key(sender), ctx.receive_mono_ns);
      return;
  }
}

void CsiIngestService::run() {
  rt_.set_state(v1::SERVICE_STATE_READY);
  const UdpReceiver::Handler handler = [this](auto d, const auto& s, bool t) { on_datagram(d, s, t); };
  while (!rt_.stopping()) {
    udp_.poll(std::chrono::milliseconds(100), handler);
    rt_.tick();
  }
}

}  // namespace wdp::ingest
