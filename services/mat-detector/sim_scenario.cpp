#include "sim_scenario.h"

#include <cmath>

#include "body_model.h"
#include "frame_encoding.h"

namespace wdp::mat::eval {

sim::Scene rubble_site(const RubbleSpec& spec) {
  sim::Scene s;
  s.name = "rubble-eval";
  s.room = {.width_m = 8.0, .depth_m = 8.0, .height_m = 10.0, .walls = false};
  s.rubble.push_back({{{2.0, 2.0, 0.0}, {6.0, 6.0, 2.0}}, spec.attenuation_db_per_m});
  std::vector<sim::Vec3> poles = {{1.0, 1.0, 2.5}, {7.0, 1.5, 2.5}, {7.0, 7.0, 2.5}, {1.0, 7.0, 2.5}};
  poles.resize(std::clamp(spec.nodes, 3, 4));
  for (std::size_t i = 0; i < poles.size(); ++i) {
    sim::SensorNode n;
    n.id = "esp32-" + std::to_string(i + 1);
    n.esp_node_id = static_cast<std::uint8_t>(i + 1);
    for (std::size_t j = 0; j < poles.size(); ++j) {
      if (j != i) n.links.push_back({static_cast<std::uint32_t>(j + 1), poles[j], poles[i], {0, 0, 1}});
    }
    s.nodes.push_back(std::move(n));
  }
  // Debris chunks as weak static reflectors, seeded.
  std::uint64_t x = spec.seed * 0x9E3779B97F4A7C15ull + 1;
  auto u = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return (x >> 11) * (1.0 / 9007199254740992.0);
  };
  for (int i = 0; i < 12; ++i) s.furniture.push_back({{0.3 + 7.4 * u(), 0.3 + 7.4 * u(), 0.3 + 0.9 * u()}, 0.5 * (0.05 + 0.25 * u())});
  for (int r = 0; r < spec.rescuers; ++r) {
    sim::PersonSpec p;
    p.id = static_cast<std::uint32_t>(r + 1);
    // Laps on a square path 0.8–1.2 m outside the pile, opposite directions for odd ids.
    const double m = 1.2 - 0.4 * (r % 2);
    std::vector<sim::Vec3> lap = {{2 - m, 2 - m, 0}, {6 + m, 2 - m, 0}, {6 + m, 6 + m, 0}, {2 - m, 6 + m, 0}, {2 - m, 2 - m, 0}};
    if (r % 2) std::reverse(lap.begin(), lap.end());
    p.motion.start = lap.front();
    for (int k = 0; k < 40; ++k) {  // enough laps for an hour
      sim::MotionStep w;
      w.activity = sim::Activity::walking;
      w.waypoints = lap;
      w.speed_m_s = 0.8 + 0.2 * r;
      p.motion.steps.push_back(w);
      sim::MotionStep st;
      st.activity = sim::Activity::standing;
      st.duration_s = 20 + 10 * r;
      st.transition_s = 1.0;
      p.motion.steps.push_back(st);
    }
    p.vitals = {.breathing_bpm = 18.0, .breathing_depth_mm = 6.0, .irregularity = 0.1, .heart_bpm = 90.0};
    s.people.push_back(std::move(p));
  }
  return s;
}

void add_survivor(sim::Scene& scene, const std::string& id, double x, double y, double z, double bpm, double depth_mm) {
  sim::SurvivorSpec v;
  v.id = id;
  v.position = {x, y, z};
  v.heading_rad = 0.3;
  v.vitals = {.breathing_bpm = bpm, .breathing_depth_mm = depth_mm, .irregularity = 0.04, .heart_bpm = 84.0};
  const auto chest = sim::chest_of(sim::place_pose(sim::lying_pose(v.height_m), v.heading_rad, v.position), v.body);
  v.depth_m = scene.rubble.at(0).box.max.z - chest.position.z;
  v.movement = v1::MOVEMENT_CLASS_NONE;
  v.expected_triage = v1::TRIAGE_CLASS_IMMEDIATE;
  scene.survivors.push_back(v);
}

P3 survivor_chest(const sim::Scene& scene, std::size_t i) {
  const auto& v = scene.survivors.at(i);
  const auto c = sim::chest_of(sim::place_pose(sim::lying_pose(v.height_m), v.heading_rad, v.position), v.body).position;
  return {c.x, c.y, c.z};
}

Site site_of(const sim::Scene& scene, const sim::RadioProfile& profile) {
  Site site;
  site.carrier_hz = profile.grid_center_mhz * 1e6;
  for (const auto& n : scene.nodes) {
    for (const auto& l : n.links) site.links.push_back({n.id, l.id, {l.tx.x, l.tx.y, l.tx.z}, {l.rx.x, l.rx.y, l.rx.z}});
  }
  for (const auto& r : scene.rubble) {
    site.debris.push_back({{r.box.min.x, r.box.min.y, r.box.min.z}, {r.box.max.x, r.box.max.y, r.box.max.z}, r.attenuation_db_per_m});
  }
  return site;
}

v1::ScanZone zone_of(const sim::Scene& scene) {
  v1::ScanZone z;
  z.set_name("rubble pile");
  const auto& b = scene.rubble.at(0).box;
  z.mutable_rectangle()->mutable_min()->set_x_m(b.min.x);
  z.mutable_rectangle()->mutable_min()->set_y_m(b.min.y);
  z.mutable_rectangle()->mutable_max()->set_x_m(b.max.x);
  z.mutable_rectangle()->mutable_max()->set_y_m(b.max.y);
  for (const auto& n : scene.nodes) z.add_node_ids(n.id);
  return z;
}

v1::ScanZone setup_domain(MatDomain& domain, const sim::Scene& scene) {
  v1::MatCommand c;
  c.set_command_id("eval-1");
  c.mutable_create_event()->set_name("evaluation");
  c.mutable_create_event()->set_kind("collapse");
  const auto ev = domain.apply(c, 1);
  v1::MatCommand z;
  z.set_command_id("eval-2");
  *z.mutable_upsert_zone() = zone_of(scene);
  z.mutable_upsert_zone()->set_event_id(ev.assigned_id());
  const auto zr = domain.apply(z, 1);
  domain.take_changes();
  return *domain.zone(zr.assigned_id());
}

void run(const sim::Scene& scene, const RunOptions& ro, const DetectorParams& det, MatDomain& domain,
         const std::function<void(const ScanResult&, MatDomain&)>& on_scan) {
  sim::SimOptions so;
  so.rate_hz = ro.rate_hz;
  so.seed = ro.seed;
  so.hardware.snr_db = ro.snr_db;
  so.hardware.packet_loss = ro.packet_loss;
  sim::Simulator sim(scene, so);
  SurvivorDetector detector(site_of(scene, sim.profile()), det);
  const auto zones = domain.active_zones();
  std::vector<v1::ScanZone> zs;
  for (const auto* z : zones) zs.push_back(*z);
  const std::int64_t epoch0 = 1'700'000'000'000'000'000;
  v1::CsiFrame frame;
  while (sim.time_s() < ro.duration_s) {
    const double t = sim.time_s();
    bool out = false;
    for (auto [a, b] : ro.outages) out = out || (t >= a && t < b);
    const auto& frames = sim.step();
    for (const auto& f : frames) {
      if (out || f.packet.lost) continue;
      sim::to_csi_frame(sim, f, epoch0 + static_cast<std::int64_t>(1e9 * f.time_s), frame);
      detector.push(frame);
    }
    // Scans are driven by data time; during an outage the zone still gets its (empty) cycles.
    for (const auto& z : zs) {
      if (auto r = detector.scan(z, epoch0 + static_cast<std::int64_t>(1e9 * sim.time_s()))) {
        domain.observe(z.zone_id(), r->observations, r->end_ns);
        domain.tick(r->end_ns);
        if (on_scan) on_scan(*r, domain);
      }
    }
  }
}

}  // namespace wdp::mat::eval
