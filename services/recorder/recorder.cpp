#include "recorder.h"

#include <spdlog/spdlog.h>

#include "wdp/bus/clock.h"
#include "wdp/bus/topics.h"

namespace wdp::recorder {

namespace {

WriterMetrics make_metrics(metrics::Registry& m) {
  const std::string dropped = "wdp_recorder_dropped_total";
  const std::string dropped_help = "Bus messages not recorded: writer queue full, or the disk failed";
  return {
      .records = &m.counter("wdp_recorder_records_total", "Records appended to segments"),
      .bytes = &m.counter("wdp_recorder_bytes_total", "Segment bytes appended, record framing included"),
      .synced_records = &m.counter("wdp_recorder_synced_records_total", "Records made durable by fdatasync"),
      .segments = &m.counter("wdp_recorder_segments_total", "Segment files opened"),
      .segments_deleted = &m.counter("wdp_recorder_segments_deleted_total", "Segment files removed by retention"),
      .write_errors = &m.counter("wdp_recorder_write_errors_total", "Failed writes or syncs (disk full, I/O error)"),
      .dropped_write_error = &m.counter(dropped, dropped_help, {{"reason", "write_error"}}),
      .recovered_trimmed_bytes =
          &m.counter("wdp_recorder_trimmed_bytes_total", "Torn-tail bytes cut from segments at startup recovery"),
      .fsync_seconds = &m.histogram("wdp_recorder_fsync_seconds", "fdatasync latency",
                                    metrics::exponential_buckets(0.0001, 2, 16)),
      .queue_depth = &m.gauge("wdp_recorder_queue_depth", "Records waiting for the writer thread"),
      .session_active = &m.gauge("wdp_recorder_session_active", "1 while a session is recording"),
  };
}

}  // namespace

RecorderService::RecorderService(RecorderOptions options, runtime::ServiceRuntime& rt)
    : options_(std::move(options)),
      rt_(rt),
      dropped_queue_full_(rt.metrics().counter("wdp_recorder_dropped_total",
                                               "Bus messages not recorded: writer queue full, or the disk failed",
                                               {{"reason", "queue_full"}})) {}

void RecorderService::route(std::string_view prefix) {
  if (routed_.contains(prefix)) return;
  routed_.emplace(prefix);
  sub_->on_raw(prefix, [this](std::span<const std::byte> payload, const bus::Delivery& d) {
    QueuedRecord r;
    r.bytes.reserve(d.topic.size() + payload.size());
    r.bytes.append(d.topic);
    r.bytes.append(reinterpret_cast<const char*>(payload.data()), payload.size());
    r.topic_len = static_cast<std::uint16_t>(d.topic.size());
    r.header = d.header;
    r.receive_time_ns = d.receive_time_ns;
    if (!writer_->submit(std::move(r))) dropped_queue_full_.inc();
  });
}

void RecorderService::on_command(const v1::RecorderCommand& c) {
  QueuedCommand q;
  q.request_id = c.request_id();
  if (c.has_start()) {
    q.start = true;
    q.name = c.start().name();
    q.labels.insert(c.start().labels().begin(), c.start().labels().end());
    for (const auto& t : c.start().topics()) q.topics.insert(t);
    // Route before queueing: messages on new topics then arrive after the command, in order.
    for (const auto& t : q.topics) route(t);
    spdlog::info("command {}: start session '{}'", q.request_id, q.name);
  } else if (c.has_stop()) {
    q.session_id = c.stop().session_id();
    spdlog::info("command {}: stop session '{}'", q.request_id, q.session_id);
  } else {
    v1::RecordingStatus st;
    st.set_request_id(c.request_id());
    st.set_error("command has neither start nor stop");
    reply(st);
    return;
  }
  writer_->submit(std::move(q));
}

void RecorderService::reply(const v1::RecordingStatus& st) {
  // A command can arrive before the forwarder has told our publisher who listens for replies (it
  // joined moments ago); a publisher drops what nobody subscribed to, so wait briefly for that.
  rt_.publisher().wait_for_subscriber(bus::topics::recorder_status, std::chrono::milliseconds(500));
  rt_.publisher().publish(bus::topics::recorder_status, st);
}

void RecorderService::update_state() {
  const auto err = writer_->error();
  if (!err.empty()) {
    rt_.set_state(v1::SERVICE_STATE_DEGRADED, err);
  } else if (writer_->store_open()) {
    rt_.set_state(v1::SERVICE_STATE_READY);
  }
}

void RecorderService::run() {
  writer_ = std::make_unique<WriterThread>(options_, make_metrics(rt_.metrics()));
  sub_ = &rt_.add_subscriber();
  // The control topic is longer than any recorded prefix, so commands are never recorded as data.
  sub_->on<v1::RecorderCommand>(bus::topics::recorder_control,
                                [this](const v1::RecorderCommand& c, const bus::Delivery&) { on_command(c); });
  route(bus::topics::csi_raw);
  spdlog::info("recording to {} (always-on {}, fsync every {} s)", options_.store.dir.string(), options_.always_on,
               options_.store.fsync_interval_s);
  while (!rt_.stopping()) {
    sub_->poll(std::chrono::milliseconds(50));
    for (auto& st : writer_->take_replies()) {
      rt_.fill_origin(*st.mutable_origin(), {}, bus::wall_ns());
      reply(st);
    }
    update_state();
    rt_.tick();
  }
  writer_.reset();  // stops the active session cleanly and joins the writer
}

}  // namespace wdp::recorder
