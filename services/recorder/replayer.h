#pragma once
// Plays a recording back in file order at its original timing, N times faster, or as fast as the
// sender accepts. Bus-free: the caller supplies send(), so tests and benches drive it directly.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "recording_source.h"

namespace wdp::recorder {

struct ReplayOptions {
  // 1 = original timing, 2 = twice as fast; ignored with as_fast_as_possible.
  double speed = 1.0;
  bool as_fast_as_possible = false;
  // Topic prefixes to replay; empty = every record.
  std::vector<std::string> topics;
};

struct ReplayResult {
  std::uint64_t sent = 0;
  std::uint64_t retries = 0;  // sends refused (queue full) and tried again
  std::uint64_t skipped = 0;  // filtered out by topic
  double seconds = 0;
  SourceSummary source;
};

class Replayer {
 public:
  // send: false = refused for now (back-pressure); the same record is offered again 1 ms later.
  using SendFn = std::function<bool(std::string_view topic, std::span<const std::byte> payload)>;

  Replayer(const RecordingSource& source, ReplayOptions options) : source_(source), options_(std::move(options)) {}

  // Stops early when should_stop() turns true. progress(sent) is called after each send.
  ReplayResult run(const SendFn& send, const std::function<void(std::uint64_t)>& progress,
                   const std::function<bool()>& should_stop) const;

 private:
  const RecordingSource& source_;
  ReplayOptions options_;
};

}  // namespace wdp::recorder
