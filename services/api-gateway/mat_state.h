#pragma once
// The current WiFi-Mat picture (disaster events, zones, survivors, alerts by id) built from
// MatEvents as mat-detector publishes them, and rebuilt at start from the persisted events.
// Empty until mat-detector publishes: nothing is invented.
//
// Thread safety: all methods may be called from any thread.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "wdp/v1/gateway.pb.h"

namespace wdp::gateway {

class MatState {
 public:
  void apply(const v1::MatEvent& m);
  // Replaces the whole picture with mat-detector's current state (answer to a sync_state
  // command) and returns what differed, as MatEvents to persist and stream: new or changed
  // items, zones that no longer exist (without a shape, the bus's "deleted"), survivors that
  // vanished (as Terminated) and alerts that vanished (as Resolved).
  std::vector<v1::MatEvent> sync(const google::protobuf::RepeatedPtrField<v1::MatEvent>& state);

  v1::ListDisasterEventsResponse disaster_events() const;
  v1::ListMatZonesResponse zones() const;
  v1::ListSurvivorsResponse survivors(const std::string& zone_id) const;  // "" = all
  v1::ListAlertsResponse alerts(bool open_only) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, v1::DisasterEvent> events_;
  std::map<std::string, v1::ScanZone> zones_;
  std::map<std::string, v1::Survivor> survivors_;
  std::map<std::string, v1::Alert> alerts_;
};

}  // namespace wdp::gateway
