#pragma once
// The SQLite index of sessions, labels and segments (docs/recording-format.md, "Index"). WAL mode,
// synchronous=NORMAL: the files are the truth and the index is reconciled with them on start, so
// the index may lag a crash by one transaction without losing anything.
//
// Thread safety: one thread per RecordingIndex (the recorder's writer thread).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "segment_stats.h"
#include "wdp/v1/recorder.pb.h"

struct sqlite3;

namespace wdp::recorder {

struct SessionRow {
  std::string id;
  std::string name;  // empty for a rolling session
  bool rolling = false;
  v1::RecordingState state = v1::RECORDING_STATE_ACTIVE;
  std::int64_t started_ns = 0;
  std::int64_t stopped_ns = 0;  // 0 while active
  std::map<std::string, std::string> labels;
  std::set<std::string, std::less<>> topics;  // recorded prefixes
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::uint32_t segments = 0;
  std::set<std::string, std::less<>> nodes;
};

struct SegmentRow {
  std::string session_id;
  std::uint32_t segment_no = 0;
  std::string path;  // relative to the recordings directory
  SegmentStats stats;
  bool closed = false;
};

class RecordingIndex {
 public:
  explicit RecordingIndex(const std::filesystem::path& file);  // throws std::runtime_error
  ~RecordingIndex();
  RecordingIndex(const RecordingIndex&) = delete;
  RecordingIndex& operator=(const RecordingIndex&) = delete;

  void put_session(const SessionRow& s);  // insert or replace, labels included
  void put_segment(const SegmentRow& s);
  void delete_segment(const std::string& session_id, std::uint32_t segment_no);
  void delete_session(const std::string& id);  // with its labels and segments

  std::vector<SessionRow> sessions() const;  // by start time
  std::optional<SessionRow> session(const std::string& id) const;
  std::vector<SegmentRow> segments(const std::string& session_id) const;  // by number
  std::vector<SegmentRow> all_segments() const;  // oldest first (by last record time)

  // Groups writes into one transaction (one commit, one WAL append).
  void begin();
  void commit();

 private:
  void exec(const char* sql) const;
  // `where` may hold one '?' bound to *param.
  std::vector<SessionRow> query_sessions(const std::string& where, const std::string* param) const;
  std::vector<SegmentRow> query_segments(const std::string& where, const std::string* param,
                                         const std::string& order) const;

  sqlite3* db_ = nullptr;
};

}  // namespace wdp::recorder
