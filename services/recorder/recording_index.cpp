#include "recording_index.h"

#include <sqlite3.h>

#include <stdexcept>

namespace wdp::recorder {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sessions(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, rolling INTEGER NOT NULL, state INTEGER NOT NULL,
  started_ns INTEGER NOT NULL, stopped_ns INTEGER NOT NULL, topics TEXT NOT NULL,
  records INTEGER NOT NULL, bytes INTEGER NOT NULL, segments INTEGER NOT NULL, nodes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS labels(
  session_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(session_id, key));
CREATE TABLE IF NOT EXISTS segments(
  session_id TEXT NOT NULL, segment_no INTEGER NOT NULL, path TEXT NOT NULL,
  first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL, records INTEGER NOT NULL, bytes INTEGER NOT NULL,
  nodes TEXT NOT NULL, closed INTEGER NOT NULL, PRIMARY KEY(session_id, segment_no));
)sql";

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
    }
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("sqlite step: ") + sqlite3_errmsg(db_));
  }
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  std::string text(int c) const {
    const auto* p = sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, c)) : std::string();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

}  // namespace

RecordingIndex::RecordingIndex(const std::filesystem::path& file) {
  if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) {
    const std::string err = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open index " + file.string() + ": " + err);
  }
  sqlite3_busy_timeout(db_, 2000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec(kSchema);
}

RecordingIndex::~RecordingIndex() { sqlite3_close(db_); }

void RecordingIndex::exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + msg);
  }
}

void RecordingIndex::begin() { exec("BEGIN"); }
void RecordingIndex::commit() { exec("COMMIT"); }

void RecordingIndex::put_session(const SessionRow& s) {
  Stmt(db_, "INSERT OR REPLACE INTO sessions VALUES(?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, s.id).bind(2, s.name).bind(3, std::int64_t{s.rolling}).bind(4, std::int64_t{s.state})
      .bind(5, s.started_ns).bind(6, s.stopped_ns).bind(7, join(s.topics))
      .bind(8, static_cast<std::int64_t>(s.records)).bind(9, static_cast<std::int64_t>(s.bytes))
      .bind(10, std::int64_t{s.segments}).bind(11, join(s.nodes)).step();
  Stmt(db_, "DELETE FROM labels WHERE session_id=?").bind(1, s.id).step();
  for (const auto& [k, v] : s.labels) {
    Stmt(db_, "INSERT INTO labels VALUES(?,?,?)").bind(1, s.id).bind(2, k).bind(3, v).step();
  }
}

void RecordingIndex::put_segment(const SegmentRow& s) {
  Stmt(db_, "INSERT OR REPLACE INTO segments VALUES(?,?,?,?,?,?,?,?,?)")
      .bind(1, s.session_id).bind(2, std::int64_t{s.segment_no}).bind(3, s.path)
      .bind(4, s.stats.first_ns).bind(5, s.stats.last_ns)
      .bind(6, static_cast<std::int64_t>(s.stats.records)).bind(7, static_cast<std::int64_t>(s.stats.bytes))
      .bind(8, join(s.stats.nodes)).bind(9, std::int64_t{s.closed}).step();
}

void RecordingIndex::delete_segment(const std::string& session_id, std::uint32_t segment_no) {
  Stmt(db_, "DELETE FROM segments WHERE session_id=? AND segment_no=?").bind(1, session_id).bind(2, std::int64_t{segment_no}).step();
}

void RecordingIndex::delete_session(const std::string& id) {
  for (const char* sql : {"DELETE FROM segments WHERE session_id=?", "DELETE FROM labels WHERE session_id=?",
                          "DELETE FROM sessions WHERE id=?"}) {
    Stmt(db_, sql).bind(1, id).step();
  }
}

std::vector<SessionRow> RecordingIndex::query_sessions(const std::string& where, const std::string* param) const {
  std::vector<SessionRow> out;
  Stmt q(db_, "SELECT id,name,rolling,state,started_ns,stopped_ns,topics,records,bytes,segments,nodes FROM sessions " +
                  where + " ORDER BY started_ns, id");
  if (param) q.bind(1, *param);
  while (q.step()) {
    SessionRow s;
    s.id = q.text(0);
    s.name = q.text(1);
    s.rolling = q.i64(2) != 0;
    s.state = static_cast<v1::RecordingState>(q.i64(3));
    s.started_ns = q.i64(4);
    s.stopped_ns = q.i64(5);
    s.topics = split(q.text(6));
    s.records = static_cast<std::uint64_t>(q.i64(7));
    s.bytes = static_cast<std::uint64_t>(q.i64(8));
    s.segments = static_cast<std::uint32_t>(q.i64(9));
    s.nodes = split(q.text(10));
    out.push_back(std::move(s));
  }
  for (auto& s : out) {
    Stmt l(db_, "SELECT key,value FROM labels WHERE session_id=?");
    l.bind(1, s.id);
    while (l.step()) s.labels[l.text(0)] = l.text(1);
  }
  return out;
}

std::vector<SessionRow> RecordingIndex::sessions() const { return query_sessions("", nullptr); }

std::optional<SessionRow> RecordingIndex::session(const std::string& id) const {
  auto rows = query_sessions("WHERE id=?", &id);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<SegmentRow> RecordingIndex::query_segments(const std::string& where, const std::string* param,
                                                       const std::string& order) const {
  std::vector<SegmentRow> out;
  Stmt q(db_, "SELECT session_id,segment_no,path,first_ns,last_ns,records,bytes,nodes,closed FROM segments " + where +
                  " ORDER BY " + order);
  if (param) q.bind(1, *param);
  while (q.step()) {
    SegmentRow s;
    s.session_id = q.text(0);
    s.segment_no = static_cast<std::uint32_t>(q.i64(1));
    s.path = q.text(2);
    s.stats.first_ns = q.i64(3);
    s.stats.last_ns = q.i64(4);
    s.stats.records = static_cast<std::uint64_t>(q.i64(5));
    s.stats.bytes = static_cast<std::uint64_t>(q.i64(6));
    s.stats.nodes = split(q.text(7));
    s.closed = q.i64(8) != 0;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<SegmentRow> RecordingIndex::segments(const std::string& session_id) const {
  return query_segments("WHERE session_id=?", &session_id, "segment_no");
}

std::vector<SegmentRow> RecordingIndex::all_segments() const { return query_segments("", nullptr, "last_ns, session_id, segment_no"); }

}  // namespace wdp::recorder
