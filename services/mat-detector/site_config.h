#pragma once
// The site file mat-detector reads at start (--site): link geometry, debris, and the events and
// zones to create when they do not exist yet (so a known site is scanned with no operator action).
//
// {"links":  [{"node": "esp32-1", "link": 0, "tx": [1, 1, 2.5], "rx": [7, 1.5, 2.5]}],
//  "debris": [{"min": [2, 2, 0], "max": [6, 6, 2], "attenuation_db_per_m": 8}],
//  "carrier_hz": 2.437e9,
//  "events": [{"event_id": "event-site", "name": "Collapse", "kind": "collapse"}],
//  "zones":  [{"zone_id": "zone-pile", "event_id": "event-site", "name": "Pile",
//              "rectangle": {"min": [2, 2], "max": [6, 6]},          // or "circle": {"center": [x, y], "radius_m": r}
//              "node_ids": ["esp32-1", "esp32-2", "esp32-3"]}]}        // or "polygon": [[x, y], ...]
#include <string>
#include <vector>

#include "site.h"
#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

struct SiteConfig {
  Site site;
  std::vector<v1::DisasterEvent> events;
  std::vector<v1::ScanZone> zones;
};

// Throws std::runtime_error naming the file and the problem.
SiteConfig load_site_config(const std::string& path);
SiteConfig parse_site_config(const std::string& json_text);

}  // namespace wdp::mat
