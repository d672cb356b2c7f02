#include "csi_ingest.h"

#include <arpa/inet.h>

#include <algorithm>
#include <thread>
#include <spdlog/spdlog.h>

#include "formats/esp32_udp.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/topics.h"

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
      udp_(options_.listen_udp ? std::make_unique<UdpReceiver>(options_.udp) : nullptr),
      rejects_(rt.metrics()),
      pipeline_(options_.pipeline, rt.metrics(), rejects_,
                [&rt](const std::string& topic, const v1::CsiFrame& f) { return rt.publisher().publish(topic, f); }),
      stream_pipeline_(options_.pipeline, rt.metrics(), rejects_,
                       [&rt](const std::string& topic, const v1::CsiFrame& f) {
                         return rt.publisher().publish_waiting(topic, f, std::chrono::milliseconds(1000));
                       }),
      datagrams_(rt.metrics().counter("wdp_csi_ingest_datagrams_total", "UDP datagrams received", {{"source", "esp32-udp"}})),
      esp32_encoder_(options_.node_prefix) {
  if (udp_) {
    spdlog::info("listening for ESP32 CSI on udp://{}:{}{}", options_.udp.address, udp_->port(),
                 allow_.empty() ? "" : " (allow-list active)");
  }
  for (const auto& spec : options_.sources) {
    streams_.push_back(std::make_unique<StreamInput>(
        StreamInputOptions{spec, options_.format, options_.node_prefix, options_.realtime}, rejects_));
  }
}

void CsiIngestService::service_streams() {
  for (auto& s : streams_) {
    s->poll(std::chrono::milliseconds(0));
    const auto now = bus::mono_ns();
    while (auto f = s->next_due(now)) {
      f->set_receive_time_ns(bus::wall_ns());
      f->set_receive_mono_ns(bus::mono_ns());
      stream_pipeline_.process(*f, s->name(), s->describe(), f->receive_mono_ns());
      if (rt_.stopping()) return;
    }
  }
}

void CsiIngestService::on_datagram(std::span<const std::byte> datagram, const sockaddr_in& sender, bool truncated) {
  if (!allow_.allows(ntohl(sender.sin_addr.s_addr))) {
    rejects_.reject("esp32-udp", "not_allowed", "sender " + address_key(sender));
    return;
  }
  if (truncated) {
    rejects_.reject("esp32-udp", "oversized_datagram", "larger than " + std::to_string(options_.udp.max_datagram));
    return;
  }
  // Boards flashed with one image share a node id; the sender address keeps their sequences
  // apart. The raw 4-byte address is the key: no formatting on the per-packet path.
  origin_.assign(reinterpret_cast<const char*>(&sender.sin_addr.s_addr), 4);
  const std::int64_t wall = udp_->batch_wall_ns();
  const std::int64_t mono = udp_->batch_mono_ns();
  if (const auto raw = parse_esp32_raw(datagram)) {
    // The hot path: the same frame decode_esp32_udp() would build, encoded without a message
    // and queued for publish_batch().
    static const std::string kSource = "esp32-udp";
    const auto ticket = pipeline_.admit({esp32_encoder_.node_id(raw->node), v1::SOURCE_FORMAT_ESP32_UDP, true, raw->sequence},
                                        kSource, origin_, mono);
    if (!ticket) return;
    if (batch_count_ == batch_.size()) batch_.emplace_back();
    Encoded& e = batch_[batch_count_++];
    e.ticket = *ticket;
    e.topic.assign(pipeline_.topic());
    e.offset = batch_used_;
    e.size = esp32_encoder_.encode_into(batch_bytes_, batch_used_, *raw, wall, mono, ticket->ingest_sequence);
    batch_used_ += e.size;
    return;
  }
  publish_batch();  // keeps frames in arrival order should the general path publish one
  DecodeContext ctx;
  ctx.node_prefix = options_.node_prefix;
  ctx.receive_time_ns = wall;
  ctx.receive_mono_ns = mono;
  auto r = decode_esp32_udp(datagram, ctx);
  switch (r.kind) {
    case DatagramResult::Kind::reject:
      rejects_.reject("esp32-udp", r.reject.reason, r.reject.detail);
      return;
    case DatagramResult::Kind::skip:
      rejects_.skip("esp32-udp", r.skip.kind);
      return;
    case DatagramResult::Kind::frame:  // not reached: parse_esp32_raw takes every raw frame
      pipeline_.process(r.frame, "esp32-udp", origin_, mono);
      return;
  }
}

void CsiIngestService::publish_batch() {
  for (std::size_t i = 0; i < batch_count_; ++i) {
    const Encoded& e = batch_[i];
    pipeline_.finish(e.ticket, rt_.publisher().publish_bytes(e.topic, {batch_bytes_.data() + e.offset, e.size}));
  }
  batch_count_ = 0;
  batch_used_ = 0;
}

void CsiIngestService::run() {
  if (!streams_.empty() && options_.wait_subscriber_s > 0) {
    // A file read before anyone listens would be published into the void (the slow-joiner
    // problem): give subscribers a moment to connect, then go ahead regardless.
    const auto wait = std::chrono::milliseconds(static_cast<long>(options_.wait_subscriber_s * 1000));
    if (!rt_.publisher().wait_for_subscriber(bus::topics::csi_raw, wait)) {
      spdlog::warn("no csi.raw subscriber after {} s; reading the stream sources anyway", options_.wait_subscriber_s);
    }
  }
  rt_.set_state(v1::SERVICE_STATE_READY);
  const UdpReceiver::Handler handler = [this](auto d, const auto& s, bool t) { on_datagram(d, s, t); };
  const UdpReceiver::BatchDone batch_done = [this] { publish_batch(); };
  while (!rt_.stopping()) {
    // With stream sources to serve, UDP is polled briefly so neither starves the other.
    const bool streaming = std::any_of(streams_.begin(), streams_.end(), [](auto& s) { return !s->done(); });
    const auto wait = std::chrono::milliseconds(streaming ? 2 : 100);
    if (udp_) {
      datagrams_.inc(udp_->poll(wait, handler, 16, batch_done));
    } else if (!streaming) {
      std::this_thread::sleep_for(wait);
    }
    service_streams();
    rt_.tick();
  }
}

}  // namespace wdp::ingest
