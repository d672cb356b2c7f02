#pragma once
// csi-ingest: receives CSI from sensors, decodes it losslessly and publishes wdp.v1.CsiFrame on
// "csi.raw.<node>". Rejected input is counted per (source, reason) and logged rate-limited.
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/frame_pipeline.h"
#include "ingest/reject_counter.h"
#include "ingest/source_filter.h"
#include "udp_receiver.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::ingest {

struct CsiIngestOptions {
  UdpReceiverOptions udp;            // ESP32 binary frames
  std::string node_prefix;           // prepended to device node ids, e.g. "site-a/"
  std::vector<std::string> allow;    // CIDR allow-list for UDP senders; empty = all
  FramePipelineOptions pipeline;     // per-node rate limit
};

class CsiIngestService {
 public:
  CsiIngestService(CsiIngestOptions options, runtime::ServiceRuntime& runtime);
  void run();  // until SIGTERM

 private:
  void on_datagram(std::span<const std::byte> datagram, const sockaddr_in& sender, bool truncated);

  CsiIngestOptions options_;
  runtime::ServiceRuntime& rt_;
  AllowList allow_;
  UdpReceiver udp_;
  RejectCounter rejects_;
  FramePipeline pipeline_;
  metrics::Counter& datagrams_;
};

}  // namespace wdp::ingest
