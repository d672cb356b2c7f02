#pragma once
// A recording to read back: a session directory's segments in number order, records in file order
// (the order the recorder received them), so every reader sees the same sequence.
//
//   RecordingSource src(RecordingSource::resolve(dir_or_empty, recordings_dir, session_id));
//   src.for_each([](const RecordView& r) { ...; return true; });   // false stops early
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "record_format.h"

namespace wdp::recorder {

struct SourceSummary {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;           // file bytes
  std::uint64_t trimmed_bytes = 0;   // torn tails skipped
  std::uint64_t corrupt_bytes = 0;   // damage skipped
};

class RecordingSource {
 public:
  // The session directory: `recording` when given, else <recordings_dir>/sessions/<session_id>.
  // Throws std::invalid_argument when neither names an existing directory.
  static std::filesystem::path resolve(const std::string& recording, const std::filesystem::path& recordings_dir,
                                       const std::string& session_id);

  explicit RecordingSource(std::filesystem::path session_dir);

  const std::filesystem::path& dir() const { return dir_; }
  const std::vector<std::filesystem::path>& segments() const { return segments_; }
  // session.json fields (name, labels), empty when absent.
  std::string name() const { return name_; }
  const std::map<std::string, std::string>& labels() const { return labels_; }
  std::uint64_t total_file_bytes() const;

  // Calls `fn` for each record in order until it returns false. Returns what was read.
  SourceSummary for_each(const std::function<bool(const RecordView&)>& fn) const;
  // Counts records (reads every segment).
  SourceSummary count() const;

 private:
  std::filesystem::path dir_;
  std::vector<std::filesystem::path> segments_;
  std::string name_;
  std::map<std::string, std::string> labels_;
};

}  // namespace wdp::recorder
