#include "writer_thread.h"

#include <spdlog/spdlog.h>

#include "wdp/bus/topics.h"

namespace wdp::recorder {

namespace {

bool matches(const std::set<std::string, std::less<>>& prefixes, std::string_view topic) {
  for (const auto& p : prefixes) {
    if (topic.starts_with(p)) return true;
  }
  return false;
}

void add_delta(metrics::Counter* c, std::uint64_t now, std::uint64_t& last) {
  if (c && now > last) c->inc(now - last);
  last = now;
}

}  // namespace

v1::RecordingSession to_proto(const SessionRow& s) {
  v1::RecordingSession p;
  p.set_session_id(s.id);
  p.set_name(s.name);
  for (const auto& [k, v] : s.labels) (*p.mutable_labels())[k] = v;
  p.set_state(s.state);
  p.set_started_ns(s.started_ns);
  p.set_stopped_ns(s.stopped_ns);
  for (const auto& n : s.nodes) p.add_nodes(n);
  p.set_records(s.records);
  p.set_bytes(s.bytes);
  p.set_segments(s.segments);
  return p;
}

WriterThread::WriterThread(RecorderOptions options, WriterMetrics metrics)
    : options_(std::move(options)), metrics_(metrics), queue_(options_.queue_max_records) {
  thread_ = std::thread([this] { run(); });
}

WriterThread::~WriterThread() {
  stop_ = true;
  queue_.wake();
  thread_.join();
}

std::vector<v1::RecordingStatus> WriterThread::take_replies() {
  std::lock_guard lock(mutex_);
  return std::exchange(replies_, {});
}

std::string WriterThread::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void WriterThread::set_error(std::string e) {
  std::lock_guard lock(mutex_);
  error_ = std::move(e);
}

void WriterThread::run() {
  std::vector<WriteOp> batch;
  bool draining_done = false;
  while (!draining_done) {
    if (!store_) {
      try {
        store_ = std::make_unique<RecordingStore>(options_.store);
        if (metrics_.fsync_seconds) store_->on_sync([h = metrics_.fsync_seconds](double s) { h->observe(s); });
        const auto& rec = store_->recovery();
        if (metrics_.recovered_trimmed_bytes) metrics_.recovered_trimmed_bytes->inc(rec.trimmed_bytes);
        spdlog::info("recordings in {}: recovery closed {} sessions, added {}, scanned {} segments, trimmed {} bytes",
                     options_.store.dir.string(), rec.sessions_closed, rec.sessions_added, rec.segments_scanned,
                     rec.trimmed_bytes);
        store_open_ = true;
        set_error({});
        if (options_.always_on) start_rolling();
      } catch (const std::exception& e) {
        set_error(std::string("cannot open recordings: ") + e.what());
        store_.reset();
      }
    }
    const bool stopping = stop_.load();
    queue_.pop_all(batch, std::chrono::milliseconds(stopping ? 0 : (store_ ? 50 : 500)));
    if (metrics_.queue_depth) metrics_.queue_depth->set(static_cast<double>(queue_.size()));
    for (auto& op : batch) std::visit([this](auto& o) { handle(o); }, op);
    if (store_) {
      store_->flush();
      store_->tick();
      set_error(store_->error());
    }
    publish_metrics();
    draining_done = stopping && batch.empty();
  }
  if (store_) {
    store_->close();
    publish_metrics();
  }
}

void WriterThread::handle(QueuedRecord& r) {
  if (!store_) {
    if (metrics_.dropped_write_error) metrics_.dropped_write_error->inc();
    return;
  }
  RecordView v;
  v.topic = std::string_view(r.bytes).substr(0, r.topic_len);
  // The bus thread forwards every topic any session asked for; only the active session's count.
  if (!recording_ || !matches(active_topics_, v.topic)) return;
  v.publisher_id = r.header.publisher_id;
  v.bus_sequence = r.header.sequence;
  v.publish_time_ns = r.header.publish_time_ns;
  v.receive_time_ns = r.receive_time_ns;
  v.payload = std::as_bytes(std::span<const char>(r.bytes).subspan(r.topic_len));
  if (!store_->append(v) && metrics_.dropped_write_error) metrics_.dropped_write_error->inc();
}

void WriterThread::handle(QueuedCommand& c) {
  if (!store_) {
    reply(c.request_id, std::unexpected(error()));
    return;
  }
  store_->flush();
  const auto active = store_->active();
  if (c.start) {
    if (active && !active->rolling) {
      reply(c.request_id, std::unexpected("named session " + active->id + " (" + active->name + ") is active; stop it first"));
      return;
    }
    if (active) reply({}, store_->stop_session(active->id));
    if (c.topics.empty()) c.topics.emplace(bus::topics::csi_raw);
    auto started = store_->start_session(c.name, c.labels, c.topics, false);
    note_session(started ? &*started : nullptr);
    reply(c.request_id, started);
    if (!started && options_.always_on) start_rolling();
    return;
  }
  if (!active) {
    reply(c.request_id, std::unexpected("no active session"));
    return;
  }
  auto stopped = store_->stop_session(c.session_id);
  const auto still = store_->active();  // a wrong id leaves the session recording
  note_session(still ? &*still : nullptr);
  reply(c.request_id, stopped);
  if (!store_->active() && options_.always_on) start_rolling();
}

void WriterThread::start_rolling() {
  auto started = store_->start_session({}, {}, {std::string(bus::topics::csi_raw)}, true);
  note_session(started ? &*started : nullptr);
  reply({}, started);
}

void WriterThread::note_session(const SessionRow* s) {
  recording_ = s != nullptr;
  active_topics_ = s ? s->topics : decltype(active_topics_){};
  if (metrics_.session_active) metrics_.session_active->set(recording_ ? 1 : 0);
}

void WriterThread::reply(const std::string& request_id, const std::expected<SessionRow, std::string>& result) {
  v1::RecordingStatus st;
  st.set_request_id(request_id);
  st.set_ok(result.has_value());
  if (result) {
    *st.mutable_session() = to_proto(*result);
  } else {
    st.set_error(result.error());
    if (store_) {
      if (auto a = store_->active()) *st.mutable_session() = to_proto(*a);
    }
  }
  std::lock_guard lock(mutex_);
  replies_.push_back(std::move(st));
}

void WriterThread::publish_metrics() {
  if (!store_) return;
  const auto& c = store_->counters();
  add_delta(metrics_.records, c.records.load(), published_.records);
  add_delta(metrics_.bytes, c.bytes.load(), published_.bytes);
  add_delta(metrics_.synced_records, c.synced_records.load(), published_.synced);
  add_delta(metrics_.segments, c.segments_opened.load(), published_.segments);
  add_delta(metrics_.segments_deleted, c.segments_deleted.load(), published_.deleted);
  add_delta(metrics_.write_errors, c.write_errors.load(), published_.errors);
  add_delta(metrics_.dropped_write_error, c.lost_on_error.load(), published_.lost);
}

}  // namespace wdp::recorder
