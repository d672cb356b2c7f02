#pragma once
// Simulator scenarios for WiFi-Mat evaluation, run faster than real time through the csi-sim
// library (no bus): a rubble pile with N sensor nodes on poles around it, buried survivors, and
// optionally rescuers walking around the pile; the detector and the domain see exactly the
// CsiFrames csi-sim would publish.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mat_domain.h"
#include "scene.h"
#include "simulator.h"
#include "site.h"
#include "survivor_detector.h"

namespace wdp::mat::eval {

struct RubbleSpec {
  int nodes = 4;                    // 3 or 4 poles around the pile, full mesh of links
  double attenuation_db_per_m = 8;  // debris
  std::uint64_t seed = 1;
  int rescuers = 0;                 // people walking laps around the pile, outside it
};

// An 8 m × 8 m site, a 4 m × 4 m × 2 m pile at (2..6, 2..6); nodes on 2.5 m poles.
sim::Scene rubble_site(const RubbleSpec& spec);
// Adds a survivor lying at (x, y) with its body base at z.
void add_survivor(sim::Scene& scene, const std::string& id, double x, double y, double z, double bpm, double depth_mm = 4.0);
// What mat-detector needs to know about the site (its config): link geometry and debris.
Site site_of(const sim::Scene& scene, const sim::RadioProfile& profile);
// A rectangle zone over the pile, covering every node.
v1::ScanZone zone_of(const sim::Scene& scene);
// Chest position of survivor i (x, y, z) as the simulator places it.
P3 survivor_chest(const sim::Scene& scene, std::size_t i);

struct RunOptions {
  double duration_s = 120;
  double rate_hz = 20;              // packets per link per second
  double snr_db = 30;
  double packet_loss = 0;
  std::vector<std::pair<double, double>> outages;  // [from, to) simulated seconds with no packets at all
  std::uint64_t seed = 1;
};

// Runs the scene; calls on_scan after every zone scan with the scan and the domain after it.
void run(const sim::Scene& scene, const RunOptions& run, const DetectorParams& det, MatDomain& domain,
         const std::function<void(const ScanResult&, MatDomain&)>& on_scan);
// Creates the event and the zone in `domain` (as an operator would); returns the zone.
v1::ScanZone setup_domain(MatDomain& domain, const sim::Scene& scene);

}  // namespace wdp::mat::eval
