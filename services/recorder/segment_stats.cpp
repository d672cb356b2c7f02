#include "segment_stats.h"

#include "wdp/bus/topics.h"

namespace wdp::recorder {

void SegmentStats::add(const RecordView& r, std::size_t encoded_bytes) {
  if (records == 0) first_ns = r.publish_time_ns;
  last_ns = r.publish_time_ns;
  ++records;
  bytes += encoded_bytes;
  const auto node = node_of(r.topic);
  if (!node.empty() && !nodes.contains(node)) nodes.emplace(node);
}

void SegmentStats::merge(const SegmentStats& o) {
  if (o.records == 0) return;
  if (records == 0) first_ns = o.first_ns;
  last_ns = o.last_ns;
  records += o.records;
  bytes += o.bytes;
  nodes.insert(o.nodes.begin(), o.nodes.end());
}

std::string_view node_of(std::string_view topic) {
  return topic.starts_with(bus::topics::csi_raw) ? topic.substr(bus::topics::csi_raw.size()) : std::string_view{};
}

std::string join(const std::set<std::string, std::less<>>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ',';
    out += i;
  }
  return out;
}

std::set<std::string, std::less<>> split(std::string_view joined) {
  std::set<std::string, std::less<>> out;
  while (!joined.empty()) {
    const auto comma = joined.find(',');
    out.emplace(joined.substr(0, comma));
    if (comma == std::string_view::npos) break;
    joined.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace wdp::recorder
