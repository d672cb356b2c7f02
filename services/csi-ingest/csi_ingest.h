#pragma once
// csi-ingest: receives CSI from sensors, decodes it losslessly and publishes wdp.v1.CsiFrame on
// "csi.raw.<node>". Rejected input is counted per (source, reason) and logged rate-limited.
#include <cstdint>
#include <string>
#include <vector>

#include "formats/esp32_raw_encoder.h"
#include "ingest/frame_pipeline.h"
#include "ingest/reject_counter.h"
#include "ingest/source_filter.h"
#include "ingest/stream_input.h"
#include "udp_receiver.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::ingest {

struct CsiIngestOptions {
  UdpReceiverOptions udp;            // ESP32 binary frames
  std::string node_prefix;           // prepended to device node ids, e.g. "site-a/"
  std::vector<std::string> allow;    // CIDR allow-list for UDP senders; empty = all
  FramePipelineOptions pipeline;     // per-node rate limit
  std::vector<std::string> sources;  // stream sources besides UDP (file:, stdin, serial:, tcp:)
  std::string format = "auto";       // their format
  bool realtime = false;             // pace file sources by their timestamps
  double wait_subscriber_s = 5;      // files: wait this long for a csi.raw subscriber before reading
  bool listen_udp = true;            // listen for ESP32 UDP
};

class CsiIngestService {
 public:
  CsiIngestService(CsiIngestOptions options, runtime::ServiceRuntime& runtime);
  void run();  // until SIGTERM

 private:
  void on_datagram(std::span<const std::byte> datagram, const sockaddr_in& sender, bool truncated);
  void publish_batch();
  void service_streams();

  CsiIngestOptions options_;
  runtime::ServiceRuntime& rt_;
  AllowList allow_;
  std::unique_ptr<UdpReceiver> udp_;
  RejectCounter rejects_;
  FramePipeline pipeline_;         // live sources: drop and count when the bus is full
  FramePipeline stream_pipeline_;  // stream sources: wait for the bus (files lose nothing)
  std::vector<std::unique_ptr<StreamInput>> streams_;
  metrics::Counter& datagrams_;
  Esp32RawEncoder esp32_encoder_;  // raw ESP32 frames: straight to wire bytes (the hot path)
  std::string origin_;             // sender address bytes of the current datagram
  // Raw frames of the current recvmmsg batch, encoded and waiting to be sent in one burst: the
  // bus I/O thread then wakes once per burst instead of once per few frames.
  struct Encoded {
    FramePipeline::Ticket ticket;
    std::string topic;
    std::size_t offset = 0;
    std::size_t size = 0;
  };
  std::vector<Encoded> batch_;    // the first batch_count_ entries are live (strings are reused)
  std::size_t batch_count_ = 0;
  std::vector<std::byte> batch_bytes_;
  std::size_t batch_used_ = 0;
};

}  // namespace wdp::ingest
