#pragma once
// csi-ingest: receives CSI from sensors, decodes it losslessly and publishes wdp.v1.CsiFrame on
// "csi.raw.<node>". Rejected input is counted per (source, reason) and logged rate-limited.
#include <cstdint>
#include <string>

#include "udp_receiver.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::ingest {

struct CsiIngestOptions {
  UdpReceiverOptions udp;          // ESP32 binary frames
  std::string node_prefix;         // prepended to device node ids, e.g. "site-a/"
};

class CsiIngestService {
 public:
  CsiIngestService(CsiIngestOptions options, runtime::ServiceRuntime& runtime);
  void run();  // until SIGTERM

 private:
  void on_datagram(std::span<const std::byte> datagram, const sockaddr_in& sender, bool truncated);
  void count_reject(const std::string& source, const std::string& reason, const std::string& detail);

  CsiIngestOptions options_;
  runtime::ServiceRuntime& rt_;
  UdpReceiver udp_;
  metrics::Counter& datagrams_;
  metrics::Counter& frames_;
  std::unordered_map<std::string, metrics::Counter*> rejects_;
  std::unordered_map<std::string, metrics::Counter*> skips_;
  std::string topic_;  // reused buffer
  std::int64_t last_reject_log_ns_ = 0;
  std::uint64_t rejects_since_log_ = 0;
};

}  // namespace wdp::ingest
