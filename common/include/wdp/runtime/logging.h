#pragma once
// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-23T12:00:00.123456Z","level":"info","service":"csi-ingest","pid":42,"msg":"..."}
// or, with format "text", a human-oriented line. Call init_logging() once in main, then use
// spdlog::info/warn/... anywhere.
#include <string>

namespace wdp::runtime {

// level: trace|debug|info|warn|error|critical|off; format: json|text. Throws on unknown values.
void init_logging(const std::string& service, const std::string& level, const std::string& format);

// Changes the level at run time (admin POST /loglevel). Throws on an unknown level.
void set_log_level(const std::string& level);

}  // namespace wdp::runtime
