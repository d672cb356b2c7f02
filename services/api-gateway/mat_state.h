#pragma once
// The current WiFi-Mat picture (disaster events, zones, survivors, alerts by id) built from
// MatEvents as mat-detector publishes them, and rebuilt at start from the persisted events.
// Empty until mat-detector publishes: nothing is invented.
//
// Thread safety: all methods may be called from any thread.
#include <map>
#include <mutex>
#include <string>

#include "wdp/v1/gateway.pb.h"

namespace wdp::gateway {

class MatState {
 public:
  void apply(const v1::MatEvent& m);

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
