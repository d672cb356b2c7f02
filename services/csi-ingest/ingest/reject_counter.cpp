#include "ingest/reject_counter.h"

#include <spdlog/spdlog.h>

#include "wdp/bus/clock.h"

namespace wdp::ingest {

metrics::Counter& RejectCounter::counter(std::unordered_map<std::string, metrics::Counter*>& map,
                                         const std::string& name, const std::string& help, const std::string& source,
                                         const std::string& label, const std::string& value) {
  auto [it, inserted] = map.try_emplace(source + '\0' + value, nullptr);
  if (inserted) it->second = &registry_.counter(name, help, {{"source", source}, {label, value}});
  return *it->second;
}

void RejectCounter::reject(const std::string& source, const std::string& reason, const std::string& detail) {
  counter(rejects_, "wdp_csi_ingest_rejects_total", "Input rejected, by source and reason", source, "reason", reason).inc();
  ++total_;
  ++since_log_;
  const auto now = bus::mono_ns();
  if (now - last_log_ns_ >= 1'000'000'000) {
    spdlog::warn("rejected input source={} reason={} detail=\"{}\" rejects_in_this_line={}", source, reason, detail,
                 since_log_);
    last_log_ns_ = now;
    since_log_ = 0;
  }
}

void RejectCounter::skip(const std::string& source, const std::string& kind) {
  counter(skips_, "wdp_csi_ingest_skipped_total", "Recognised non-CSI records, by source and kind", source, "kind", kind).inc();
}

}  // namespace wdp::ingest
