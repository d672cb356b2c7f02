#include "scene.h"

#include <random>
#include <stdexcept>

#include "seed.h"

namespace wdp::sim {
namespace {

// One access point in a corner; ESP32 receivers on the other walls, each one link AP → node.
std::vector<SensorNode> three_nodes(Vec3 ap, std::vector<Vec3> receivers) {
  std::vector<SensorNode> nodes;
  for (std::size_t i = 0; i < receivers.size(); ++i) {
    SensorNode n;
    n.esp_node_id = static_cast<std::uint8_t>(i + 1);
    n.id = "esp32-" + std::to_string(i + 1);
    n.links.push_back({0, ap, receivers[i], {0, 0, 1}});
    nodes.push_back(std::move(n));
  }
  return nodes;
}

// Tables, shelves, a sofa: a handful of static point reflectors at seeded places.
std::vector<Scatterer> furniture(const Room& room, std::uint64_t seed, int count) {
  std::mt19937_64 rng(derive_seed(seed, "furniture"));
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<Scatterer> out;
  for (int i = 0; i < count; ++i) {
    out.push_back({{0.3 + u(rng) * (room.width_m - 0.6), 0.3 + u(rng) * (room.depth_m - 0.6), 0.3 + 0.9 * u(rng)},
                   0.05 + 0.25 * u(rng)});
  }
  return out;
}

Scene living_room(std::string name, std::uint64_t seed) {
  Scene s;
  s.name = std::move(name);
  s.nodes = three_nodes({0.3, 0.3, 2.2}, {{5.7, 0.6, 1.0}, {5.7, 4.4, 1.0}, {0.4, 4.7, 1.0}});
  s.furniture = furniture(s.room, seed, 8);
  return s;
}

MotionStep step(Activity a, double duration_s, double transition_s = 1.0) {
  MotionStep m;
  m.activity = a;
  m.duration_s = duration_s;
  m.transition_s = transition_s;
  return m;
}

MotionStep walk(std::vector<Vec3> waypoints, double speed_m_s) {
  MotionStep m;
  m.activity = Activity::walking;
  m.waypoints = std::move(waypoints);
  m.speed_m_s = speed_m_s;
  return m;
}

Scene default_scene(std::uint64_t seed) {
  Scene s = living_room("default", seed);
  PersonSpec p;
  p.id = 1;
  p.motion.start = {0.2, 2.5, 0};  // at the door
  p.motion.steps = {step(Activity::absent, 2.0), walk({{1.5, 2.5, 0}, {3.0, 1.8, 0}, {3.6, 2.8, 0}}, 1.0),
                    step(Activity::standing, 3.0), step(Activity::sitting, 0.0, 1.5)};
  p.vitals = {.breathing_bpm = 14.0, .breathing_depth_mm = 6.0, .irregularity = 0.05, .heart_bpm = 68.0,
              .heart_depth_mm = 0.3};
  s.people.push_back(p);
  return s;
}

Scene multi_scene(std::uint64_t seed) {
  Scene s = living_room("multi", seed);
  PersonSpec a;
  a.id = 1;
  a.motion.start = {0.2, 2.5, 0};
  a.motion.steps = {step(Activity::absent, 1.0), walk({{2.0, 2.5, 0}, {2.5, 3.5, 0}}, 1.1),
                    step(Activity::standing, 2.0), step(Activity::gesturing, 6.0, 0.5), step(Activity::standing, 2.0),
                    walk({{2.0, 2.5, 0}, {0.2, 2.5, 0}}, 1.2), step(Activity::absent, 0.0)};
  a.vitals = {.breathing_bpm = 16.0, .breathing_depth_mm = 5.0, .irregularity = 0.08, .heart_bpm = 75.0};
  PersonSpec b;
  b.id = 2;
  b.motion.start = {4.2, 1.2, 0};
  b.motion.start_heading_rad = 1.57;
  b.motion.steps = {step(Activity::sitting, 12.0, 0.0), step(Activity::standing, 2.0, 1.5),
                    walk({{4.5, 3.0, 0}, {3.0, 3.8, 0}}, 0.8), step(Activity::fallen, 0.0, 0.8)};
  b.vitals = {.breathing_bpm = 12.0, .breathing_depth_mm = 7.0, .irregularity = 0.05, .heart_bpm = 62.0};
  s.people = {a, b};
  return s;
}

// Four ESP32 nodes on 2.5 m poles around the pile, every node receiving from every other one
// (12 links, link id = the transmitting node's number), so WiFi-Mat can combine links and
// localise with more than three of them.
std::vector<SensorNode> pole_mesh(const std::vector<Vec3>& poles) {
  std::vector<SensorNode> nodes;
  for (std::size_t i = 0; i < poles.size(); ++i) {
    SensorNode n;
    n.esp_node_id = static_cast<std::uint8_t>(i + 1);
    n.id = "esp32-" + std::to_string(i + 1);
    for (std::size_t j = 0; j < poles.size(); ++j) {
      if (j != i) n.links.push_back({static_cast<std::uint32_t>(j + 1), poles[j], poles[i], {0, 0, 1}});
    }
    nodes.push_back(std::move(n));
  }
  return nodes;
}

Scene rubble_scene(std::uint64_t seed) {
  Scene s;
  s.name = "rubble";
  s.room = {.width_m = 8.0, .depth_m = 8.0, .height_m = 10.0, .walls = false};
  // A 2 m high pile of light debris (2 dB/m: wood and light concrete) over a 4 m × 4 m footprint.
  s.rubble.push_back({{{2.0, 2.0, 0.0}, {6.0, 6.0, 2.0}}, 2.0});
  s.nodes = pole_mesh({{1.0, 1.0, 2.5}, {7.0, 1.5, 2.5}, {7.0, 7.0, 2.5}, {1.0, 7.0, 2.5}});
  s.furniture = furniture({.width_m = 8, .depth_m = 8, .height_m = 2}, seed, 12);  // debris chunks
  for (auto& f : s.furniture) f.reflectivity *= 0.5;
  SurvivorSpec v;
  v.id = "survivor-1";
  v.position = {3.0, 3.6, 0.6};
  v.heading_rad = 0.3;
  // Depth of the chest wall below the pile's surface (z = 2 m).
  v.depth_m = s.rubble[0].box.max.z - chest_of(place_pose(lying_pose(v.height_m), v.heading_rad, v.position), v.body).position.z;
  v.vitals = {.breathing_bpm = 12.0, .breathing_depth_mm = 4.0, .irregularity = 0.04, .heart_bpm = 84.0};
  v.movement = v1::MOVEMENT_CLASS_NONE;
  v.expected_triage = v1::TRIAGE_CLASS_IMMEDIATE;  // RR 10–30 with no movement (mat-reference §5.4)
  s.survivors.push_back(v);
  return s;
}

}  // namespace

std::vector<Wall> room_walls(const Room& r) {
  std::vector<Wall> w;
  if (r.walls) {
    w.push_back({{{0, 0, 0}, {1, 0, 0}}, r.wall_reflectivity});
    w.push_back({{{r.width_m, 0, 0}, {-1, 0, 0}}, r.wall_reflectivity});
    w.push_back({{{0, 0, 0}, {0, 1, 0}}, r.wall_reflectivity});
    w.push_back({{{0, r.depth_m, 0}, {0, -1, 0}}, r.wall_reflectivity});
    w.push_back({{{0, 0, r.height_m}, {0, 0, -1}}, r.ceiling_reflectivity});
  }
  w.push_back({{{0, 0, 0}, {0, 0, 1}}, r.floor_reflectivity});
  return w;
}

double rubble_loss_db(const std::vector<RubbleVolume>& rubble, std::span<const Vec3> points) {
  double loss = 0;
  for (const auto& r : rubble) {
    for (std::size_t i = 1; i < points.size(); ++i) {
      loss += r.attenuation_db_per_m * length_inside(points[i - 1], points[i], r.box);
    }
  }
  return loss;
}

std::vector<std::string> scene_names() { return {"default", "empty", "multi", "rubble"}; }

Scene make_scene(std::string_view name, std::uint64_t seed) {
  if (name == "default") return default_scene(seed);
  if (name == "empty") return living_room("empty", seed);
  if (name == "multi") return multi_scene(seed);
  if (name == "rubble") return rubble_scene(seed);
  throw std::invalid_argument("unknown scene '" + std::string(name) + "'");
}

}  // namespace wdp::sim
