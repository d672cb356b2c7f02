#include "ingest/stream_input.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace wdp::ingest {
namespace {

std::string kind_name(const ByteSourceSpec& s) {
  switch (s.kind) {
    case ByteSourceSpec::Kind::file: return "file";
    case ByteSourceSpec::Kind::stdin_stream: return "stdin";
    case ByteSourceSpec::Kind::serial: return "serial";
    case ByteSourceSpec::Kind::tcp: return "tcp";
  }
  return "stream";
}

}  // namespace

StreamInput::StreamInput(StreamInputOptions options, RejectCounter& rejects)
    : options_(std::move(options)), rejects_(rejects), source_(parse_byte_source(options_.spec)) {
  name_ = kind_name(source_.spec());
  if (options_.format != "auto" && !parse_format(options_.format)) {
    throw std::invalid_argument("unknown format '" + options_.format + "'");
  }
  spdlog::info("stream source {} format={}{}", source_.describe(), options_.format, options_.realtime ? " (real-time pacing)" : "");
}

void StreamInput::poll(std::chrono::milliseconds timeout) {
  if (ended_ || pending_.size() >= options_.max_pending) return;
  std::span<const std::byte> chunk;
  const auto status = source_.read(timeout, chunk);
  if (status == ByteSource::Status::end) {
    if (decoder_) decoder_->finish();
    ended_ = true;
    spdlog::info("stream source {} ended after {} frames", source_.describe(), frames_ + pending_.size());
    return;
  }
  if (status != ByteSource::Status::data) return;
  if (!decoder_) {
    const auto format = options_.format == "auto" ? detect_format(chunk, options_.spec) : parse_format(options_.format);
    if (!format) {
      rejects_.reject(name_, "unknown_format", source_.describe() + ": cannot tell the format; set --format");
      ended_ = true;
      return;
    }
    DecodeContext ctx;
    ctx.node_prefix = options_.node_prefix;
    decoder_ = make_stream_decoder(*format, ctx,
                                   {[this](v1::CsiFrame&& f) { pending_.push_back(std::move(f)); },
                                    [this](const Reject& r) { rejects_.reject(name_, r.reason, r.detail); },
                                    [this](const Skip& s) { rejects_.skip(name_, s.kind); }});
  }
  decoder_->feed(chunk);
}

std::optional<v1::CsiFrame> StreamInput::next_due(std::int64_t now_mono_ns) {
  if (pending_.empty()) return std::nullopt;
  v1::CsiFrame& f = pending_.front();
  if (options_.realtime && f.sensor_time_ns() != 0) {
    if (!paced_start_) {
      paced_start_ = true;
      first_sensor_ns_ = f.sensor_time_ns();
      start_mono_ns_ = now_mono_ns;
    }
    if (f.sensor_time_ns() - first_sensor_ns_ > now_mono_ns - start_mono_ns_) return std::nullopt;
  }
  std::optional<v1::CsiFrame> out(std::move(f));
  pending_.pop_front();
  ++frames_;
  return out;
}

}  // namespace wdp::ingest
