#pragma once
// What the index keeps about a segment (or a session): counts, time span, node set. Filled the
// same way by the writer as it appends and by a reader scanning a file after a crash.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "record_format.h"

namespace wdp::recorder {

struct SegmentStats {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;  // file bytes of the records, framing included, header excluded
  std::int64_t first_ns = 0;  // publish time of the first / last record
  std::int64_t last_ns = 0;
  std::set<std::string, std::less<>> nodes;

  void add(const RecordView& r, std::size_t encoded_bytes);
  void merge(const SegmentStats& other);
};

// The node id of a csi.raw.<node> topic; empty for other topics.
std::string_view node_of(std::string_view topic);

// "a,b,c" and back; node ids and topic prefixes never contain commas.
std::string join(const std::set<std::string, std::less<>>& items);
std::set<std::string, std::less<>> split(std::string_view joined);

}  // namespace wdp::recorder
