#include "csi_ingest.h"

#include <spdlog/spdlog.h>

#include "formats/esp32_udp.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/topics.h"

namespace wdp::ingest {

CsiIngestService::CsiIngestService(CsiIngestOptions options, runtime::ServiceRuntime& rt)
    : options_(std::move(options)),
      rt_(rt),
      udp_(options_.udp),
      datagrams_(rt.metrics().counter("wdp_csi_ingest_datagrams_total", "UDP datagrams received", {{"source", "esp32-udp"}})),
      frames_(rt.metrics().counter("wdp_csi_ingest_frames_total", "CSI frames decoded and published", {{"source", "esp32-udp"}})) {
  spdlog::info("listening for ESP32 CSI on udp://{}:{}", options_.udp.address, udp_.port());
}

void CsiIngestService::count_reject(const std::string& source, const std::string& reason, const std::string& detail) {
  auto [it, inserted] = rejects_.try_emplace(source + "/" + reason, nullptr);
  if (inserted) {
    it->second = &rt_.metrics().counter("wdp_csi_ingest_rejects_total", "Input rejected, by source and reason",
                                        {{"source", source}, {"reason", reason}});
  }
  it->second->inc();
  // At most one log line per second, with how many were folded into it.
  ++rejects_since_log_;
  const auto now = bus::mono_ns();
  if (now - last_reject_log_ns_ > 1'000'000'000) {
    spdlog::warn("rejected input source={} reason={} detail=\"{}\" rejects_since_last_log={}", source, reason,
                 detail, rejects_since_log_);
    last_reject_log_ns_ = now;
    rejects_since_log_ = 0;
  }
}

void CsiIngestService::on_datagram(std::span<const std::byte> datagram, const sockaddr_in&, bool truncated) {
  datagrams_.inc();
  if (truncated) {
    count_reject("esp32-udp", "oversized_datagram", "larger than " + std::to_string(options_.udp.max_datagram));
    return;
  }
  DecodeContext ctx;
  ctx.node_prefix = options_.node_prefix;
  ctx.receive_time_ns = bus::wall_ns();
  ctx.receive_mono_ns = bus::mono_ns();
  auto r = decode_esp32_udp(datagram, ctx);
  switch (r.kind) {
    case DatagramResult::Kind::reject:
      count_reject("esp32-udp", r.reject.reason, r.reject.detail);
      return;
    case DatagramResult::Kind::skip: {
      auto [it, inserted] = skips_.try_emplace(r.skip.kind, nullptr);
      if (inserted) {
        it->second = &rt_.metrics().counter("wdp_csi_ingest_skipped_total", "Recognised non-CSI packets", {{"kind", r.skip.kind}});
      }
      it->second->inc();
      return;
    }
    case DatagramResult::Kind::frame:
      topic_.assign(bus::topics::csi_raw);
      topic_.append(r.frame.node_id());
      rt_.publisher().publish(topic_, r.frame);
      frames_.inc();
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
