#pragma once
// The WiFi-Mat aggregate: disaster events, their scan zones, survivors (one per confirmed track,
// with a vital-sign history and a triage class) and alerts. Every change is queued as a
// wdp.v1.MatEvent (take_changes()) for the bus; snapshot()/restore() make it restart-safe.
//
// Invariants it enforces: a zone belongs to an open event; zones have a valid shape; survivors
// come only from tracks with enough consistent hits and lie inside their zone; a closed event's
// zones are not scanned; no survivor without an observation (nothing is invented).
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "alerts.h"
#include "track.h"
#include "triage.h"
#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

struct DomainParams {
  TrackParams tracks;
  TriageParams triage;
  AlertParams alerts;
  std::size_t vitals_history = 100;   // samples kept per survivor
};

class MatDomain {
 public:
  explicit MatDomain(DomainParams p = {});

  // Operator command → result; the resulting domain changes are queued.
  v1::MatCommandResult apply(const v1::MatCommand& cmd, std::int64_t now_ns);
  // One scan cycle's observations for a zone (possibly none: that is a miss for its tracks).
  void observe(const std::string& zone_id, const std::vector<Observation>& obs, std::int64_t now_ns);
  // Timers: lost-track expiry, alert escalation, time-based triage (Deceased).
  void tick(std::int64_t now_ns);

  // Zones that should be scanned now (Active event, valid shape).
  std::vector<const v1::ScanZone*> active_zones() const;
  const v1::ScanZone* zone(const std::string& id) const;
  std::size_t survivor_count() const;  // Active or Lost survivors

  std::vector<v1::MatEvent> take_changes();
  // Every current entity as MatEvents (events, zones, survivors, alerts), for persistence and
  // for republishing after a restart.
  std::vector<v1::MatEvent> snapshot() const;
  void restore(const std::vector<v1::MatEvent>& snapshot);

 private:
  struct SurvivorRecord {
    std::deque<v1::VitalSample> vitals;
    v1::TriageClass triage = v1::TRIAGE_CLASS_UNKNOWN;
    std::int64_t last_vital_ns = 0;
    bool published = false;
  };
  v1::Survivor survivor_message(const Track& t, const SurvivorRecord& r) const;
  void emit_survivor(const Track& t);
  void reassess(const Track& t, SurvivorRecord& r, std::int64_t now_ns);
  std::string alert_text(const Track& t, const SurvivorRecord& r, const char* rule) const;
  std::string new_id(const char* kind);

  DomainParams p_;
  std::map<std::string, v1::DisasterEvent> events_;
  std::map<std::string, v1::ScanZone> zones_;
  Tracker tracker_;
  std::map<std::string, SurvivorRecord> survivors_;
  AlertBook alerts_;
  std::vector<v1::MatEvent> changes_;
  std::uint64_t next_id_ = 1;
};

}  // namespace wdp::mat
