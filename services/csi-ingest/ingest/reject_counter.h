#pragma once
// Counts rejected input per (source, reason) in wdp_csi_ingest_rejects_total and logs at most one
// line per second, saying how many rejects that line stands for. Recognised non-CSI packets are
// counted separately (wdp_csi_ingest_skipped_total): they are not errors.
#include <cstdint>
#include <string>
#include <unordered_map>

#include "wdp/metrics/registry.h"

namespace wdp::ingest {

class RejectCounter {
 public:
  explicit RejectCounter(metrics::Registry& registry) : registry_(registry) {}
  void reject(const std::string& source, const std::string& reason, const std::string& detail);
  void skip(const std::string& source, const std::string& kind);
  std::uint64_t total_rejects() const { return total_; }

 private:
  metrics::Counter& counter(std::unordered_map<std::string, metrics::Counter*>& map, const std::string& name,
                            const std::string& help, const std::string& source, const std::string& label,
                            const std::string& value);

  metrics::Registry& registry_;
  std::unordered_map<std::string, metrics::Counter*> rejects_;
  std::unordered_map<std::string, metrics::Counter*> skips_;
  std::int64_t last_log_ns_ = 0;
  std::uint64_t since_log_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace wdp::ingest
