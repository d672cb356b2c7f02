#pragma once
// What happens to every decoded frame, whatever its source: per-node rate limit, sequence
// tracking (loss / sensor skips / reorder / duplicates / resets), csi-ingest's own gap-free
// per-node counter, then publication on csi.raw.<node>. Testable without the bus: publication is
// a callback.
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "ingest/reject_counter.h"
#include "ingest/sequence_tracker.h"
#include "ingest/source_filter.h"
#include "wdp/metrics/registry.h"
#include "wdp/v1/csi_frame.pb.h"

namespace wdp::ingest {

struct FramePipelineOptions {
  double rate_limit_per_node = 0;   // frames/s per node; 0 = unlimited
  double rate_limit_burst = 50;
};

class FramePipeline {
 public:
  // publish(topic, frame) returns false if the frame could not be queued (dropped downstream).
  using Publish = std::function<bool(const std::string& topic, const v1::CsiFrame& frame)>;

  FramePipeline(FramePipelineOptions options, metrics::Registry& registry, RejectCounter& rejects, Publish publish);

  // `origin_key` separates devices that report the same node id (e.g. sender address).
  // Returns true if the frame was published.
  bool process(v1::CsiFrame& frame, const std::string& source, const std::string& origin_key,
               std::int64_t now_mono_ns);

 private:
  struct NodeState {
    SequenceTracker tracker;
    std::uint64_t ingest_sequence = 0;
    metrics::Counter* frames;
    metrics::Counter* lost;
    metrics::Counter* skipped;
    metrics::Counter* reordered;
    metrics::Counter* duplicates;
    metrics::Counter* resets;
  };
  NodeState& node(const v1::CsiFrame& frame, const std::string& origin_key);

  RateLimiter limiter_;
  metrics::Registry& registry_;
  RejectCounter& rejects_;
  Publish publish_;
  metrics::Counter& publish_drops_;
  std::unordered_map<std::string, std::unique_ptr<NodeState>> nodes_;
  std::string topic_;
};

}  // namespace wdp::ingest
