#pragma once
// The contract every CSI format implements. A decoder turns bytes into lossless wdp.v1.CsiFrame
// messages and reports everything it cannot decode as a Reject with a short reason code, so
// csi-ingest can count rejects per (source, reason) and keep going.
//
// Datagram formats (one packet = one UDP datagram) expose a free function
//   DatagramResult decode_<format>(std::span<const std::byte> datagram, const DecodeContext&);
// Stream formats (files, serial, TCP, stdin) implement StreamDecoder, which accepts the bytes in
// chunks of any size and resynchronises after damage.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wdp/v1/csi_frame.pb.h"

namespace wdp::ingest {

struct Reject {
  std::string reason;   // stable snake_case code, e.g. "truncated_header", "bad_magic"
  std::string detail;   // human-readable specifics (offending values, offsets)
  std::uint64_t offset = 0;  // byte offset in the stream or file where the record started
};

// A non-CSI record that was recognised and deliberately skipped (vitals, events, log lines...).
struct Skip {
  std::string kind;     // e.g. "esp32_vitals", "console_log_line"
};

// Options that come from configuration because the bytes do not say them.
struct DecodeContext {
  std::string node_prefix = "";       // prepended to node ids from the device ("" = none)
  std::string node_override;          // if set, every frame gets this node id
  std::int64_t receive_time_ns = 0;   // wall clock at receipt (live sources), else 0
  std::int64_t receive_mono_ns = 0;   // CLOCK_MONOTONIC at receipt (live sources), else 0
};

// One datagram decodes to a frame, a recognised non-CSI packet, or a reject.
struct DatagramResult {
  enum class Kind { frame, skip, reject } kind = Kind::reject;
  wdp::v1::CsiFrame frame;
  Skip skip;
  Reject reject;
};

struct StreamCallbacks {
  std::function<void(wdp::v1::CsiFrame&&)> on_frame;
  std::function<void(const Reject&)> on_reject;
  std::function<void(const Skip&)> on_skip;  // may be empty
};

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Consumes any number of bytes; calls back zero or more times. Never throws on bad input.
  virtual void feed(std::span<const std::byte> chunk) = 0;
  // End of stream: reports a torn final record as a reject.
  virtual void finish() = 0;
};

}  // namespace wdp::ingest
