#include "offline.h"

#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "formats/format_registry.h"
#include "ingest/byte_source.h"
#include "signal_processor.h"

namespace wdp::signal {

int run_offline(const std::string& file, const std::string& format, const PipelineParams& params, std::ostream& out) {
  std::unique_ptr<ingest::ByteSource> source;
  try {
    source = std::make_unique<ingest::ByteSource>(ingest::parse_byte_source(file == "-" ? "stdin" : "file:" + file));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "signal-processor: %s\n", e.what());
    return 1;
  }
  std::map<std::string, std::unique_ptr<LinkPipeline>> links;
  std::map<std::string, std::uint64_t> rejects;
  auto on_frame = [&](v1::CsiFrame&& f) {
    auto it = links.find(f.node_id());
    if (it == links.end()) {
      const std::string node = f.node_id();
      auto emit = [&out, node](const SensingResult& r) {
        nlohmann::json j{{"node", node},
                         {"t", r.t},
                         {"presence", r.presence},
                         {"motion", r.motion},
                         {"moving", r.moving},
                         {"calibrated", r.calibrated},
                         {"breathing_bpm", r.breathing.valid ? r.breathing.rate_per_min : 0.0},
                         {"breathing_conf", r.breathing.valid ? r.breathing.confidence : 0.0},
                         {"heart_bpm", r.heart.valid ? r.heart.rate_per_min : 0.0},
                         {"heart_conf", r.heart.valid ? r.heart.confidence : 0.0},
                         {"persons", r.persons}};
        out << j.dump() << '\n';
      };
      it = links.emplace(node, std::make_unique<LinkPipeline>(params, emit, nullptr)).first;
    }
    const std::string why = it->second->push(f, frame_time_s(f));
    if (!why.empty()) ++rejects[why];
  };
  std::unique_ptr<ingest::StreamDecoder> decoder;
  std::span<const std::byte> chunk;
  for (;;) {
    const auto status = source->read(std::chrono::milliseconds(1000), chunk);
    if (status == ingest::ByteSource::Status::end) break;
    if (status != ingest::ByteSource::Status::data) continue;
    if (!decoder) {
      const auto f = format == "auto" ? ingest::detect_format(chunk, file) : ingest::parse_format(format);
      if (!f) {
        std::fprintf(stderr, "signal-processor: cannot tell the format of %s; pass --format\n", file.c_str());
        return 2;
      }
      decoder = ingest::make_stream_decoder(*f, {}, {on_frame, [](const ingest::Reject& r) {
                                                       std::fprintf(stderr, "signal-processor: reject %s: %s\n",
                                                                    r.reason.c_str(), r.detail.c_str());
                                                     }, {}});
    }
    decoder->feed(chunk);
  }
  if (decoder) decoder->finish();
  for (const auto& [why, n] : rejects) std::fprintf(stderr, "signal-processor: %llu frames unusable: %s\n", (unsigned long long)n, why.c_str());
  out.flush();
  return 0;
}

}  // namespace wdp::signal
