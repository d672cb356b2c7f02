#include "mat_detector.h"

#include <spdlog/spdlog.h>

#include "wdp/bus/clock.h"
#include "wdp/bus/topics.h"

namespace wdp::mat {
namespace {

std::string kind_of(const v1::MatEvent& e) {
  switch (e.payload_case()) {
    case v1::MatEvent::kEvent: return "event";
    case v1::MatEvent::kZone: return "zone";
    case v1::MatEvent::kSurvivor: return "survivor";
    case v1::MatEvent::kAlert: return "alert";
    default: return "unknown";
  }
}

DetectorParams detector_params(const MatOptions& o) {
  DetectorParams p;
  p.stream.rate_hz = o.stream_rate_hz;
  p.stream.keep_s = std::max(90.0, 2 * o.window_s);
  p.analyzer.window_s = o.window_s;
  p.hop_s = o.hop_s;
  p.breathing_min_confidence = o.breathing_min_confidence;
  p.localizer.radius_scale = o.radius_scale;
  return p;
}

}  // namespace

MatDetectorService::MatDetectorService(MatOptions options, runtime::ServiceRuntime& runtime)
    : o_(std::move(options)),
      rt_(runtime),
      site_(o_.site_file.empty() ? SiteConfig{} : load_site_config(o_.site_file)),
      store_(o_.state_dir),
      domain_([&] {
        DomainParams p;
        p.alerts.escalation_s = o_.escalation_s;
        return p;
      }()),
      frames_(rt_.metrics().counter("wdp_mat_csi_frames_total", "CSI frames taken into the link streams")),
      scans_(rt_.metrics().counter("wdp_mat_scans_total", "Zone scan cycles")),
      detections_(rt_.metrics().counter("wdp_mat_breathing_detections_total", "Scan cycles with breathing evidence")),
      commands_(rt_.metrics().counter("wdp_mat_commands_total", "Operator commands handled")),
      events_out_(rt_.metrics().counter("wdp_mat_events_published_total", "MatEvents published")),
      survivors_(rt_.metrics().gauge("wdp_mat_survivors", "Active or lost survivors")) {
  detector_ = std::make_unique<SurvivorDetector>(site_.site, detector_params(o_));
  const auto snap = store_.load();
  domain_.restore(snap);
  if (!snap.empty()) spdlog::info("restored {} entities from {}", snap.size(), store_.path());
  // Config events and zones are created only when missing, so operator edits survive restarts.
  const std::int64_t now = bus::wall_ns();
  for (const auto& ev : site_.events) {
    bool exists = false;
    for (const auto& e : domain_.snapshot()) exists = exists || (e.has_event() && e.event().event_id() == ev.event_id());
    if (exists) continue;
    v1::MatCommand c;
    c.set_operator_("site-config");
    *c.mutable_create_event() = ev;
    if (auto r = domain_.apply(c, now); !r.ok()) throw std::runtime_error("site event '" + ev.event_id() + "': " + r.error());
  }
  for (const auto& z : site_.zones) {
    if (domain_.zone(z.zone_id())) continue;
    v1::MatCommand c;
    c.set_operator_("site-config");
    *c.mutable_upsert_zone() = z;
    if (auto r = domain_.apply(c, now); !r.ok()) throw std::runtime_error("site zone '" + z.zone_id() + "': " + r.error());
  }
  domain_.take_changes();
  dirty_ = true;
}

std::int64_t MatDetectorService::frame_time_ns(const v1::CsiFrame& f) const {
  // Boards' own clocks are not shared between nodes; the ingest wall clock is.
  if (f.sensor_time_is_epoch() && f.sensor_time_ns() != 0) return f.sensor_time_ns();
  return f.receive_time_ns() != 0 ? f.receive_time_ns() : f.sensor_time_ns();
}

void MatDetectorService::publish_changes() {
  for (auto& e : domain_.take_changes()) {
    rt_.fill_origin(*e.mutable_origin(), "", bus::wall_ns());
    rt_.publisher().publish(bus::topics::make(bus::topics::mat, kind_of(e)), e);
    events_out_.inc();
    dirty_ = true;
  }
}

void MatDetectorService::handle_command(const v1::MatCommand& cmd) {
  commands_.inc();
  if (cmd.action_case() == v1::MatCommand::kSyncState) {
    // Read-only: the whole state travels in the result, so it is consistent with every change
    // published before it and the requester can drop what no longer exists.
    v1::MatCommandResult res;
    res.set_command_id(cmd.command_id());
    res.set_ok(true);
    for (auto& e : domain_.snapshot()) *res.add_state() = std::move(e);
    spdlog::info("command {} from '{}': state sync, {} item(s)", cmd.command_id(), cmd.operator_(), res.state_size());
    rt_.publisher().publish(bus::topics::mat_result, res);
    return;
  }
  const auto res = domain_.apply(cmd, bus::wall_ns());
  spdlog::info("command {} from '{}': {}{}", cmd.command_id(), cmd.operator_(), res.ok() ? "ok" : "refused: ",
               res.ok() ? res.assigned_id() : res.error());
  publish_changes();
  rt_.publisher().publish(bus::topics::mat_result, res);
}

void MatDetectorService::scan_zones(std::int64_t wall_ns) {
  // The data clock: the newest CSI time, advanced by wall time while no CSI arrives, so an
  // outage still produces (empty) scan cycles and tracks age instead of freezing.
  if (last_data_wall_ns_ == 0) return;
  const std::int64_t now = last_data_ns_ + (wall_ns - last_data_wall_ns_);
  for (const auto* z : domain_.active_zones()) {
    auto r = detector_->scan(*z, now);
    if (!r) continue;
    scans_.inc();
    if (!r->observations.empty()) detections_.inc();
    const auto& b = r->evidence.breathing;
    spdlog::debug("zone {}: {} links, breathing {:.1f}/min confidence {:.2f}, movement {}, {} observation(s)", z->zone_id(),
                  r->evidence.links_used, b.rate_per_min, b.confidence, static_cast<int>(r->evidence.movement),
                  r->observations.size());
    domain_.observe(z->zone_id(), r->observations, r->end_ns);
  }
}

void MatDetectorService::update_state(std::int64_t wall_ns) {
  const auto zones = domain_.active_zones();
  survivors_.set(static_cast<double>(domain_.survivor_count()));
  if (zones.empty()) {
    rt_.set_state(v1::SERVICE_STATE_DEGRADED, "no active scan zone: create an event and a zone (or give --site)");
  } else if (last_data_wall_ns_ == 0 || wall_ns - last_data_wall_ns_ > 5'000'000'000) {
    rt_.set_state(v1::SERVICE_STATE_DEGRADED, "no CSI from the zones' nodes: no survivor can be detected");
  } else {
    rt_.set_state(v1::SERVICE_STATE_READY);
  }
}

void MatDetectorService::run() {
  auto& sub = rt_.add_subscriber();
  sub.on<v1::CsiFrame>(bus::topics::csi_raw, [&](const v1::CsiFrame& f, const bus::Delivery&) {
    try {
      detector_->push(f);
    } catch (const std::exception& e) {
      spdlog::warn("CSI frame from {} ignored: {}", f.node_id(), e.what());
      return;
    }
    frames_.inc();
    const auto t = frame_time_ns(f);
    if (t > last_data_ns_) last_data_ns_ = t;
    last_data_wall_ns_ = bus::wall_ns();
  });
  sub.on<v1::MatCommand>(bus::topics::mat_control, [&](const v1::MatCommand& c, const bus::Delivery&) { handle_command(c); });
  // Whole state once, so late subscribers (the gateway) can rebuild it after our restart. Waits
  // (bounded) for the forwarder's subscription so the snapshot is not lost to a slow join.
  // In short steps so that SIGTERM during the wait still stops us within a second.
  for (int i = 0; i < 30 && !rt_.stopping(); ++i) {
    if (rt_.publisher().wait_for_subscriber(bus::topics::mat, std::chrono::milliseconds(100))) break;
  }
  for (auto& e : domain_.snapshot()) {
    rt_.fill_origin(*e.mutable_origin(), "", bus::wall_ns());
    rt_.publisher().publish(bus::topics::make(bus::topics::mat, kind_of(e)), e);
  }
  std::int64_t next_tick = 0, next_save = 0;
  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(100));
    const std::int64_t wall = bus::wall_ns();
    if (wall >= next_tick) {
      scan_zones(wall);
      domain_.tick(wall);
      publish_changes();
      update_state(wall);
      next_tick = wall + 200'000'000;
    }
    if (dirty_ && wall >= next_save) {
      store_.save(domain_.snapshot());
      dirty_ = false;
      next_save = wall + 1'000'000'000;
    }
    rt_.tick();
  }
  if (dirty_) store_.save(domain_.snapshot());
}

}  // namespace wdp::mat
