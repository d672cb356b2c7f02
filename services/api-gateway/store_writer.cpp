#include "store_writer.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "sqlite_db.h"
#include "wdp/bus/clock.h"

namespace wdp::gateway {

StoreWriter::StoreWriter(StoreWriterOptions options, CommitListener listener)
    : options_(std::move(options)), listener_(std::move(listener)) {
  {
    sql::Db db(options_.path);
    sql::Stmt s(db, "INSERT INTO sessions(started_ns, pid, instance) VALUES(?,?,?)");
    s.bind(1, bus::wall_ns()).bind(2, std::int64_t{::getpid()}).bind(3, options_.instance);
    s.step();
    session_id_ = db.last_insert_rowid();
  }
  thread_ = std::thread([this] { run(); });
}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool StoreWriter::push(Op op) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queue) {
      stats_.dropped.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    queue_.push_back(std::move(op));
    ++submitted_;
  }
  cv_.notify_one();
  return true;
}

bool StoreWriter::submit(v1::Event event) { return push(std::move(event)); }
bool StoreWriter::submit_node(std::string node_id, std::int64_t time_ns, double rate) {
  return push(NodeSeen{std::move(node_id), time_ns, rate});
}
bool StoreWriter::submit_recording(v1::RecordingSession session) { return push(std::move(session)); }

void StoreWriter::flush() {
  std::unique_lock lock(mutex_);
  const auto target = submitted_;
  done_cv_.wait(lock, [&] { return completed_ >= target; });
}

void StoreWriter::apply_retention(std::int64_t now_ns) {
  // Not counted against max_queue: an explicit request must not be dropped.
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Retention{now_ns});
    ++submitted_;
  }
  cv_.notify_one();
  flush();
}

std::string StoreWriter::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

void StoreWriter::run() {
  sql::Db db(options_.path);
  sql::Stmt insert_event(db, "INSERT INTO events(time_ns, node_id, kind, session_id, body) VALUES(?,?,?,?,?)");
  sql::Stmt upsert_node(db,
                        "INSERT INTO nodes(node_id, first_seen_ns, last_seen_ns, frame_rate_hz) VALUES(?1,?2,?2,?3) "
                        "ON CONFLICT(node_id) DO UPDATE SET last_seen_ns = max(last_seen_ns, ?2), frame_rate_hz = ?3");
  sql::Stmt upsert_recording(db, "INSERT OR REPLACE INTO recordings(session_id, started_ns, state, body) VALUES(?,?,?,?)");
  auto next_retention = std::chrono::steady_clock::now();
  std::vector<Op> batch;
  std::vector<v1::Event> committed;
  std::string body;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) break;
      batch.swap(queue_);
    }
    const auto count = batch.size();  // submissions this batch completes
    if (std::chrono::steady_clock::now() >= next_retention) {
      batch.push_back(Retention{bus::wall_ns()});
      next_retention = std::chrono::steady_clock::now() + options_.retention_interval;
    }
    committed.clear();
    try {
      sql::Transaction tx(db);
      for (auto& op : batch) {
        if (auto* e = std::get_if<v1::Event>(&op)) {
          e->clear_id();
          e->SerializeToString(&body);
          insert_event.bind(1, e->time_ns()).bind(2, e->node_id()).bind(3, std::int64_t{e->kind()});
          insert_event.bind(4, session_id_).bind_blob(5, body);
          insert_event.step();
          insert_event.reset();
          e->set_id(db.last_insert_rowid());
          committed.push_back(std::move(*e));
        } else if (auto* n = std::get_if<NodeSeen>(&op)) {
          upsert_node.bind(1, n->node_id).bind(2, n->time_ns);
          upsert_node.bind(3, n->rate);
          upsert_node.step();
          upsert_node.reset();
        } else if (auto* r = std::get_if<v1::RecordingSession>(&op)) {
          r->SerializeToString(&body);
          upsert_recording.bind(1, r->session_id()).bind(2, r->started_ns()).bind(3, std::int64_t{r->state()});
          upsert_recording.bind_blob(4, body);
          upsert_recording.step();
          upsert_recording.reset();
        } else if (auto* ret = std::get_if<Retention>(&op)) {
          const auto cutoff = ret->now_ns - options_.retention_ns;
          sql::Stmt del(db, "DELETE FROM events WHERE time_ns < ?");
          del.bind(1, cutoff);
          del.step();
          stats_.retained_deleted.fetch_add(static_cast<std::uint64_t>(db.changes()), std::memory_order_relaxed);
          sql::Stmt del_rec(db, "DELETE FROM recordings WHERE started_ns < ? AND state != ?");
          del_rec.bind(1, cutoff).bind(2, std::int64_t{v1::RECORDING_STATE_ACTIVE});
          del_rec.step();
        }
      }
      tx.commit();
      stats_.batches.fetch_add(1, std::memory_order_relaxed);
      stats_.committed.fetch_add(committed.size(), std::memory_order_relaxed);
    } catch (const std::exception& ex) {
      // The batch is lost (rolled back); nothing of it was shown to a client.
      stats_.errors.fetch_add(1, std::memory_order_relaxed);
      spdlog::error("database write failed: {}", ex.what());
      std::lock_guard lock(mutex_);
      last_error_ = ex.what();
      committed.clear();
    }
    if (!committed.empty() && listener_) listener_(committed);
    batch.clear();
    {
      std::lock_guard lock(mutex_);
      completed_ += count;
    }
    done_cv_.notify_all();
  }
  try {
    sql::Stmt s(db, "UPDATE sessions SET stopped_ns = ? WHERE id = ?");
    s.bind(1, bus::wall_ns()).bind(2, session_id_);
    s.step();
  } catch (const std::exception& ex) {
    spdlog::warn("cannot close session row: {}", ex.what());
  }
}

}  // namespace wdp::gateway
