#include "recording_source.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "segment_reader.h"

namespace wdp::recorder {

namespace fs = std::filesystem;

fs::path RecordingSource::resolve(const std::string& recording, const fs::path& recordings_dir,
                                  const std::string& session_id) {
  const fs::path dir = !recording.empty() ? fs::path(recording) : recordings_dir / "sessions" / session_id;
  if ((recording.empty() && session_id.empty()) || !fs::is_directory(dir)) {
    throw std::invalid_argument("no recording at '" + dir.string() + "' (give --recording DIR or --session ID)");
  }
  return dir;
}

RecordingSource::RecordingSource(fs::path session_dir) : dir_(std::move(session_dir)) {
  for (const auto& e : fs::directory_iterator(dir_)) {
    const auto name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with("seg-") && name.ends_with(".wdpseg")) segments_.push_back(e.path());
  }
  std::sort(segments_.begin(), segments_.end());
  try {
    std::ifstream in(dir_ / "session.json");
    if (in) {
      const auto j = nlohmann::json::parse(in);
      name_ = j.value("name", "");
      labels_ = j.value("labels", std::map<std::string, std::string>{});
    }
  } catch (const std::exception&) {
    // Metadata is optional for reading the records.
  }
}

std::uint64_t RecordingSource::total_file_bytes() const {
  std::uint64_t n = 0;
  for (const auto& s : segments_) n += fs::file_size(s);
  return n;
}

SourceSummary RecordingSource::for_each(const std::function<bool(const RecordView&)>& fn) const {
  SourceSummary sum;
  for (const auto& path : segments_) {
    auto reader = SegmentReader::open(path);
    if (!reader) throw std::runtime_error(reader.error());
    RecordView r;
    bool go_on = true;
    while (go_on && reader->next(r)) {
      ++sum.records;
      go_on = fn(r);
    }
    const auto& res = reader->result();
    sum.bytes += res.file_size;
    sum.trimmed_bytes += res.trimmed_bytes;
    sum.corrupt_bytes += res.corrupt_bytes;
    if (!go_on) break;
  }
  return sum;
}

SourceSummary RecordingSource::count() const {
  return for_each([](const RecordView&) { return true; });
}

}  // namespace wdp::recorder
