#include "ingest/frame_pipeline.h"

#include "wdp/bus/topics.h"

namespace wdp::ingest {
namespace {

// Width of each source's device counter, and whether its gaps mean loss (sequence_tracker.h).
std::pair<unsigned, bool> counter_semantics(v1::SourceFormat f) {
  switch (f) {
    case v1::SOURCE_FORMAT_ESP32_UDP: return {32, false};  // rate limiter consumes numbers
    case v1::SOURCE_FORMAT_INTEL5300: return {16, true};   // bfee_count
    case v1::SOURCE_FORMAT_NEXMON: return {12, true};      // 802.11 sequence number
    default: return {32, true};
  }
}

}  // namespace

struct FramePipeline::NodeState {
  SequenceTracker tracker;
  std::uint64_t ingest_sequence = 0;
  metrics::Counter* frames;
  metrics::Counter* lost;
  metrics::Counter* skipped;
  metrics::Counter* reordered;
  metrics::Counter* duplicates;
  metrics::Counter* resets;
};

FramePipeline::FramePipeline(FramePipelineOptions options, metrics::Registry& registry, RejectCounter& rejects,
                             Publish publish)
    : limiter_(options.rate_limit_per_node, options.rate_limit_burst),
      registry_(registry),
      rejects_(rejects),
      publish_(std::move(publish)),
      publish_drops_(registry.counter("wdp_csi_ingest_publish_drops_total",
                                      "Frames dropped because the bus send queue was full")) {}

FramePipeline::~FramePipeline() = default;

FramePipeline::NodeState& FramePipeline::node(const FrameKey& frame, const std::string& origin_key) {
  key_.assign(frame.node_id);
  key_.push_back('\0');
  key_.append(origin_key);
  auto it = nodes_.find(key_);
  if (it != nodes_.end()) return *it->second;
  const auto [bits, loss] = counter_semantics(frame.source_format);
  const metrics::Labels l{{"node", frame.node_id}};
  auto c = [&](const char* name, const char* help) { return &registry_.counter(name, help, l); };
  auto state = std::unique_ptr<NodeState>(new NodeState{
      SequenceTracker(bits, loss), 0,
      c("wdp_csi_ingest_node_frames_total", "Frames published per node"),
      c("wdp_csi_ingest_node_lost_total", "Device sequence numbers missing (loss) per node"),
      c("wdp_csi_ingest_node_sensor_skipped_total", "Sequence numbers the sensor skipped on purpose (ESP32 rate limiter)"),
      c("wdp_csi_ingest_node_reordered_total", "Frames that arrived after a later one"),
      c("wdp_csi_ingest_node_duplicates_total", "Frames whose sequence number was already seen"),
      c("wdp_csi_ingest_node_sequence_resets_total", "Large backwards jumps (device reboot)")});
  return *nodes_.emplace(key_, std::move(state)).first->second;
}

std::optional<FramePipeline::Ticket> FramePipeline::admit(const FrameKey& frame, const std::string& source,
                                                         const std::string& origin_key, std::int64_t now_mono_ns) {
  if (limiter_.enabled() && !limiter_.allow(frame.node_id, now_mono_ns)) {
    rejects_.reject(source, "rate_limited", "node " + frame.node_id);
    return std::nullopt;
  }
  NodeState& n = node(frame, origin_key);
  if (frame.has_sequence) {
    const auto before = n.tracker.counts();
    n.tracker.observe(frame.sequence);
    const auto& after = n.tracker.counts();
    // Counters only go up: a late arrival is counted as reordered, and the earlier "lost" stays.
    // Only changes touch the shared counters (the common in-order frame touches none).
    if (after.lost > before.lost) n.lost->inc(after.lost - before.lost);
    if (after.sensor_skipped > before.sensor_skipped) n.skipped->inc(after.sensor_skipped - before.sensor_skipped);
    if (after.reordered != before.reordered) n.reordered->inc(after.reordered - before.reordered);
    if (after.duplicates != before.duplicates) n.duplicates->inc(after.duplicates - before.duplicates);
    if (after.resets != before.resets) n.resets->inc(after.resets - before.resets);
  }
  topic_.assign(bus::topics::csi_raw);
  topic_.append(frame.node_id);
  return Ticket{&n, n.ingest_sequence++};
}

bool FramePipeline::finish(const Ticket& ticket, bool published) {
  if (!published) {
    publish_drops_.inc();
    return false;
  }
  ticket.node->frames->inc();
  return true;
}

bool FramePipeline::process(v1::CsiFrame& frame, const std::string& source, const std::string& origin_key,
                            std::int64_t now_mono_ns) {
  const auto ticket = admit({frame.node_id(), frame.source_format(), frame.has_sequence(), frame.sequence()},
                            source, origin_key, now_mono_ns);
  if (!ticket) return false;
  frame.set_ingest_sequence(ticket->ingest_sequence);
  return finish(*ticket, publish_(topic_, frame));
}

}  // namespace wdp::ingest
