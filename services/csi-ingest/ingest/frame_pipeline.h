#pragma once
// What happens to every decoded frame, whatever its source: per-node rate limit, sequence
// tracking (loss / sensor skips / reorder / duplicates / resets), csi-ingest's own gap-free
// per-node counter, then publication on csi.raw.<node>. Testable without the bus: publication is
// a callback.
#include <functional>
#include <memory>
#include <optional>
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
  ~FramePipeline();

  // `origin_key` separates devices that report the same node id (e.g. sender address).
  // Returns true if the frame was published.
  bool process(v1::CsiFrame& frame, const std::string& source, const std::string& origin_key,
               std::int64_t now_mono_ns);

  // The same bookkeeping in two steps, for a source that encodes the wire bytes itself and sends
  // several frames at once (the ESP32 UDP batch): admit() applies the rate limit and sequence
  // tracking and hands out the ingest_sequence (nullopt: rate-limited); topic() is the frame's
  // topic until the next admit(); finish() records whether the frame went out.
  struct FrameKey {
    const std::string& node_id;
    v1::SourceFormat source_format;
    bool has_sequence;
    std::uint64_t sequence;
  };
  struct NodeState;  // per node and origin; defined in the .cpp
  struct Ticket {
    NodeState* node = nullptr;
    std::uint64_t ingest_sequence = 0;
  };
  std::optional<Ticket> admit(const FrameKey& key, const std::string& source, const std::string& origin_key,
                              std::int64_t now_mono_ns);
  const std::string& topic() const { return topic_; }
  bool finish(const Ticket& ticket, bool published);

 private:
  NodeState& node(const FrameKey& key, const std::string& origin_key);

  RateLimiter limiter_;
  metrics::Registry& registry_;
  RejectCounter& rejects_;
  Publish publish_;
  metrics::Counter& publish_drops_;
  std::unordered_map<std::string, std::unique_ptr<NodeState>> nodes_;
  std::string topic_;
  std::string key_;  // node id + '\0' + origin, reused so lookups do not allocate
};

}  // namespace wdp::ingest
