#include "recording_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <spdlog/spdlog.h>
#include <stdexcept>

#include "segment_reader.h"
#include "wdp/bus/clock.h"

namespace wdp::recorder {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSessionsDir = "sessions";
constexpr const char* kSessionFile = "session.json";

std::string segment_name(std::uint32_t no) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "seg-%06u.wdpseg", no);
  return buf;
}

// Segment files of a session directory, by number (names sort as numbers).
std::vector<fs::path> segment_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const auto name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with("seg-") && name.ends_with(".wdpseg")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::uint32_t segment_no_of(const fs::path& p) {
  return static_cast<std::uint32_t>(std::strtoul(p.filename().string().c_str() + 4, nullptr, 10));
}

void write_session_file(const fs::path& dir, const SessionRow& s) {
  nlohmann::json j{{"id", s.id},           {"name", s.name},     {"rolling", s.rolling},
                   {"labels", s.labels},   {"topics", s.topics}, {"started_ns", s.started_ns}};
  const auto tmp = dir / (std::string(kSessionFile) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2) << '\n';
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  // Sync the file before the rename so a crash leaves the old or the new file, never an empty one.
  if (const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  fs::rename(tmp, dir / kSessionFile);
}

// A session row from its session.json; defaults when the file is missing or unreadable.
SessionRow read_session_file(const fs::path& dir) {
  SessionRow s;
  s.id = dir.filename().string();
  s.rolling = true;
  try {
    std::ifstream in(dir / kSessionFile);
    const auto j = nlohmann::json::parse(in);
    s.name = j.value("name", "");
    s.rolling = j.value("rolling", s.name.empty());
    s.labels = j.value("labels", std::map<std::string, std::string>{});
    for (const auto& t : j.value("topics", std::vector<std::string>{})) s.topics.insert(t);
    s.started_ns = j.value("started_ns", std::int64_t{0});
  } catch (const std::exception&) {
    // Missing or torn: the scan still recovers the records; name and labels are unknown.
  }
  return s;
}

}  // namespace

RecordingStore::RecordingStore(StoreOptions options) : options_(std::move(options)) {
  if (!options_.wall_clock) options_.wall_clock = bus::wall_ns;
  if (!options_.mono_clock) options_.mono_clock = bus::mono_ns;
  fs::create_directories(options_.dir / kSessionsDir);
  index_ = std::make_unique<RecordingIndex>(options_.dir / "index.sqlite");
  reconcile();
  last_retention_mono_ = options_.mono_clock();
  apply_retention();
}

RecordingStore::~RecordingStore() { close(); }

fs::path RecordingStore::session_dir(const std::string& id) const { return options_.dir / kSessionsDir / id; }

void RecordingStore::reconcile() {
  std::set<std::string> on_disk;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(options_.dir / kSessionsDir)) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    const auto id = dir.filename().string();
    on_disk.insert(id);
    auto row = index_->session(id);
    if (!row) {
      row = read_session_file(dir);
      ++recovery_.sessions_added;
    } else if (row->state != v1::RECORDING_STATE_ACTIVE) {
      continue;
    } else {
      ++recovery_.sessions_closed;
    }
    rescan_session(*row);
  }
  index_->begin();
  for (const auto& s : index_->sessions()) {
    if (!on_disk.contains(s.id)) index_->delete_session(s.id);
  }
  index_->commit();
}

void RecordingStore::rescan_session(SessionRow& s) {
  const auto dir = session_dir(s.id);
  SegmentStats total;
  std::vector<SegmentRow> rows;
  for (const auto& file : segment_files(dir)) {
    ++recovery_.segments_scanned;
    auto scan = scan_segment(file);
    if (!scan) throw std::runtime_error(scan.error());
    if (!scan->header_ok) {
      // Only a segment cut while being created has no header; it never held a record.
      spdlog::warn("recovery: {} has no readable header ({} bytes), removing it", file.string(), scan->file_size);
      fs::remove(file);
      ++recovery_.files_removed;
      continue;
    }
    if (scan->trimmed_bytes > 0) {
      spdlog::warn("recovery: {} torn tail of {} bytes cut at offset {}", file.string(), scan->trimmed_bytes,
                   scan->valid_end);
      fs::resize_file(file, scan->valid_end);
      recovery_.trimmed_bytes += scan->trimmed_bytes;
    }
    recovery_.corrupt_bytes += scan->corrupt_bytes;
    total.merge(scan->stats);
    rows.push_back({s.id, segment_no_of(file), fs::relative(file, options_.dir).string(), scan->stats, true});
  }
  s.state = v1::RECORDING_STATE_STOPPED;
  if (s.started_ns == 0) s.started_ns = total.first_ns;
  s.stopped_ns = total.records > 0 ? total.last_ns : s.started_ns;
  s.records = total.records;
  s.bytes = total.bytes;
  s.segments = static_cast<std::uint32_t>(rows.size());
  s.nodes = total.nodes;
  index_->begin();
  for (const auto& old : index_->segments(s.id)) index_->delete_segment(s.id, old.segment_no);
  for (const auto& r : rows) index_->put_segment(r);
  index_->put_session(s);
  index_->commit();
  spdlog::info("recovery: session {} closed with {} records in {} segments", s.id, s.records, s.segments);
}

std::string RecordingStore::new_session_id() const {
  static std::mt19937 rng{std::random_device{}()};
  for (;;) {
    const std::time_t secs = options_.wall_clock() / 1'000'000'000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    char id[64];
    std::snprintf(id, sizeof id, "%s-%06x", buf, static_cast<unsigned>(rng() & 0xFFFFFF));
    if (!fs::exists(session_dir(id))) return id;
  }
}

std::expected<SessionRow, std::string> RecordingStore::start_session(std::string name,
                                                                     std::map<std::string, std::string> labels,
                                                                     std::set<std::string, std::less<>> topics,
                                                                     bool rolling) {
  if (active_) return std::unexpected("session " + active_->id + " is active");
  SessionRow s;
  s.id = new_session_id();
  s.name = std::move(name);
  s.rolling = rolling;
  s.labels = std::move(labels);
  s.topics = std::move(topics);
  s.started_ns = options_.wall_clock();
  try {
    fs::create_directories(session_dir(s.id));
    write_session_file(session_dir(s.id), s);
    index_->begin();
    index_->put_session(s);
    index_->commit();
  } catch (const std::exception& e) {
    fail(e.what());
    return std::unexpected(error_);
  }
  active_ = s;
  next_segment_no_ = 1;
  if (auto r = open_segment(); !r) {
    // The session exists but cannot be written yet; append() retries.
    spdlog::warn("session {} started without a segment: {}", s.id, r.error());
  }
  return *active();
}

std::expected<SessionRow, std::string> RecordingStore::stop_session(const std::string& id) {
  if (!active_) return std::unexpected("no active session");
  if (!id.empty() && id != active_->id) return std::unexpected("session " + id + " is not the active one (" + active_->id + ")");
  auto closed = close_segment();
  active_->state = v1::RECORDING_STATE_STOPPED;
  active_->stopped_ns = options_.wall_clock();
  try {
    index_->begin();
    index_->put_session(*active_);
    index_->commit();
  } catch (const std::exception& e) {
    fail(e.what());
  }
  SessionRow done = std::move(*active_);
  active_.reset();
  if (!closed) return std::unexpected(closed.error());
  return done;
}

std::optional<SessionRow> RecordingStore::active() const {
  if (!active_) return std::nullopt;
  SessionRow s = *active_;
  if (writer_) {
    SegmentStats live;
    live.records = s.records;
    live.bytes = s.bytes;
    live.nodes = s.nodes;
    live.merge(writer_->stats());
    s.records = live.records;
    s.bytes = live.bytes;
    s.nodes = std::move(live.nodes);
    ++s.segments;
  }
  return s;
}

std::expected<void, std::string> RecordingStore::open_segment() {
  const auto now = options_.mono_clock();
  if (now < retry_after_mono_) return std::unexpected(error_);
  const auto rel = fs::path(kSessionsDir) / active_->id / segment_name(next_segment_no_);
  auto w = SegmentWriter::create(options_.dir / rel, {next_segment_no_, options_.wall_clock()});
  if (!w) {
    fail(w.error());
    return std::unexpected(w.error());
  }
  writer_ = std::move(*w);
  ++next_segment_no_;
  segment_opened_mono_ = now;
  last_sync_mono_ = now;
  counters_.segments_opened.fetch_add(1, std::memory_order_relaxed);
  if (!error_.empty()) spdlog::info("writing again to {}", rel.string());
  error_.clear();
  try {
    index_->begin();
    index_->put_segment({active_->id, writer_->header().segment_no, rel.string(), {}, false});
    index_->commit();
  } catch (const std::exception& e) {
    spdlog::warn("index: {}", e.what());
  }
  return {};
}

std::expected<void, std::string> RecordingStore::close_segment() {
  if (!writer_) return {};
  auto closed = writer_->close();
  if (!closed) {
    counters_.write_errors.fetch_add(1, std::memory_order_relaxed);
    counters_.lost_on_error.fetch_add(writer_->dropped_on_error(), std::memory_order_relaxed);
    fail(closed.error());
  }
  const auto& st = writer_->stats();
  synced_base_ += writer_->synced_records();
  counters_.synced_records.store(synced_base_, std::memory_order_relaxed);
  SegmentStats merged;
  merged.records = active_->records;
  merged.bytes = active_->bytes;
  merged.nodes = active_->nodes;
  merged.merge(st);
  active_->records = merged.records;
  active_->bytes = merged.bytes;
  active_->nodes = std::move(merged.nodes);
  ++active_->segments;
  try {
    index_->begin();
    index_->put_segment({active_->id, writer_->header().segment_no,
                         fs::relative(writer_->path(), options_.dir).string(), st, true});
    index_->put_session(*active_);
    index_->commit();
  } catch (const std::exception& e) {
    spdlog::warn("index: {}", e.what());
  }
  writer_.reset();
  return closed;
}

std::expected<void, std::string> RecordingStore::append(const RecordView& r) {
  if (!active_) return std::unexpected("no active session");
  if (!writer_) {
    if (auto o = open_segment(); !o) return o;
  }
  writer_->append(r);
  counters_.records.fetch_add(1, std::memory_order_relaxed);
  counters_.bytes.fetch_add(encoded_size(r), std::memory_order_relaxed);
  if (writer_->size_bytes() >= options_.segment_max_bytes) {
    if (auto c = close_segment(); !c) return c;
    return open_segment();
  }
  return {};
}

std::expected<void, std::string> RecordingStore::flush() {
  if (!writer_) return {};
  const auto before = writer_->dropped_on_error();
  auto f = writer_->flush();
  if (!f) {
    counters_.write_errors.fetch_add(1, std::memory_order_relaxed);
    counters_.lost_on_error.fetch_add(writer_->dropped_on_error() - before, std::memory_order_relaxed);
    // Give up this segment; a new one is tried after retry_interval_s.
    close_segment();
    fail(f.error());
  }
  return f;
}

std::expected<void, std::string> RecordingStore::sync_now() {
  auto s = writer_->sync();
  if (!s) {
    counters_.write_errors.fetch_add(1, std::memory_order_relaxed);
    close_segment();
    fail(s.error());
    return std::unexpected(s.error());
  }
  if (sync_observer_) sync_observer_(*s);
  counters_.synced_records.store(synced_base_ + writer_->synced_records(), std::memory_order_relaxed);
  save_progress();
  return {};
}

void RecordingStore::save_progress() {
  try {
    index_->begin();
    index_->put_segment({active_->id, writer_->header().segment_no,
                         fs::relative(writer_->path(), options_.dir).string(), writer_->stats(), false});
    index_->put_session(*active());
    index_->commit();
  } catch (const std::exception& e) {
    spdlog::warn("index: {}", e.what());
  }
}

std::expected<void, std::string> RecordingStore::tick() {
  const auto now = options_.mono_clock();
  std::expected<void, std::string> result;
  if (writer_) {
    const bool aged = writer_->stats().records > 0 &&
                      static_cast<double>(now - segment_opened_mono_) >= options_.segment_max_seconds * 1e9;
    if (aged) {
      result = close_segment();
      if (result) result = open_segment();
    } else if (writer_->unsynced() && static_cast<double>(now - last_sync_mono_) >= options_.fsync_interval_s * 1e9) {
      last_sync_mono_ = now;
      result = sync_now();
    }
  } else if (active_ && now >= retry_after_mono_) {
    result = open_segment();
  }
  if (static_cast<double>(now - last_retention_mono_) >= options_.retention_interval_s * 1e9) {
    last_retention_mono_ = now;
    apply_retention();
  }
  return result;
}

void RecordingStore::apply_retention() {
  if (options_.retention_max_age_s <= 0 && options_.retention_max_bytes == 0) return;
  try {
    std::map<std::string, SessionRow> sessions;
    for (auto& s : index_->sessions()) sessions.emplace(s.id, std::move(s));
    const auto all = index_->all_segments();
    std::uint64_t total = 0;
    for (const auto& seg : all) total += seg.stats.bytes + kFileHeaderSize;
    if (writer_) total += writer_->stats().bytes;  // the index lags the live segment
    const auto now = options_.wall_clock();
    for (const auto& seg : all) {
      const auto it = sessions.find(seg.session_id);
      if (!seg.closed || it == sessions.end()) continue;
      if (options_.retention_keep_named && !it->second.rolling) continue;
      const bool too_old = options_.retention_max_age_s > 0 &&
                           static_cast<double>(now - seg.stats.last_ns) > options_.retention_max_age_s * 1e9;
      const bool too_big = options_.retention_max_bytes > 0 && total > options_.retention_max_bytes;
      if (!too_old && !too_big) continue;
      std::error_code ec;
      fs::remove(options_.dir / seg.path, ec);
      if (ec) {
        spdlog::warn("retention: cannot remove {}: {}", seg.path, ec.message());
        continue;
      }
      total -= std::min(total, seg.stats.bytes + kFileHeaderSize);
      counters_.segments_deleted.fetch_add(1, std::memory_order_relaxed);
      SessionRow& s = it->second;
      const bool is_active = active_ && active_->id == s.id;
      SessionRow& owner = is_active ? *active_ : s;
      owner.records -= std::min(owner.records, seg.stats.records);
      owner.bytes -= std::min(owner.bytes, seg.stats.bytes);
      owner.segments -= std::min<std::uint32_t>(owner.segments, 1);
      index_->begin();
      index_->delete_segment(seg.session_id, seg.segment_no);
      if (!is_active && owner.segments == 0) {
        index_->delete_session(s.id);
        fs::remove_all(session_dir(s.id), ec);
      } else {
        index_->put_session(is_active ? *active() : owner);
      }
      index_->commit();
      spdlog::info("retention: removed {} ({})", seg.path, too_old ? "age" : "total size");
    }
  } catch (const std::exception& e) {
    spdlog::warn("retention: {}", e.what());
  }
}

void RecordingStore::fail(std::string why) {
  if (error_ != why) spdlog::error("recording: {}", why);
  error_ = std::move(why);
  retry_after_mono_ = options_.mono_clock() + static_cast<std::int64_t>(options_.retry_interval_s * 1e9);
}

void RecordingStore::close() {
  if (active_) {
    if (auto s = stop_session({}); !s) spdlog::warn("closing: {}", s.error());
  }
}

}  // namespace wdp::recorder
