#pragma once
// One stream source of csi-ingest (file, stdin, serial, TCP) with its decoder. Bytes are read
// only while fewer than `max_pending` decoded frames wait, so a fast file cannot outrun the bus
// and exhaust memory. Files can be paced by their own timestamps (`realtime`), otherwise they are
// processed as fast as the bus accepts them.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "formats/format_registry.h"
#include "ingest/byte_source.h"
#include "ingest/reject_counter.h"

namespace wdp::ingest {

struct StreamInputOptions {
  std::string spec;              // file:PATH | stdin | serial:DEV[@BAUD] | tcp:HOST:PORT
  std::string format = "auto";   // a format_name() or auto
  std::string node_prefix;
  bool realtime = false;         // pace file frames by their sensor timestamps
  std::size_t max_pending = 4096;
};

class StreamInput {
 public:
  StreamInput(StreamInputOptions options, RejectCounter& rejects);  // throws on a bad spec/format

  // Reads what is available (waiting at most `timeout` when idle) and decodes it.
  void poll(std::chrono::milliseconds timeout);
  // The next frame that is due now, if any (pacing applied).
  std::optional<v1::CsiFrame> next_due(std::int64_t now_mono_ns);
  // True when a file/stdin source has been read and decoded to its end and every frame taken.
  bool done() const { return ended_ && pending_.empty(); }
  const std::string& name() const { return name_; }  // e.g. "file" for metrics
  std::string describe() const { return source_.describe(); }
  std::uint64_t frames() const { return frames_; }

 private:
  StreamInputOptions options_;
  RejectCounter& rejects_;
  ByteSource source_;
  std::string name_;
  std::unique_ptr<StreamDecoder> decoder_;
  std::deque<v1::CsiFrame> pending_;
  bool ended_ = false;
  std::uint64_t frames_ = 0;
  std::int64_t first_sensor_ns_ = 0, start_mono_ns_ = 0;
  bool paced_start_ = false;
};

}  // namespace wdp::ingest
