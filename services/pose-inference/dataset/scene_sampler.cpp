#include "scene_sampler.h"

#include <random>

#include "seed.h"

namespace wdp::pose {
namespace {

using sim::Activity;
using sim::Vec3;

double uniform(std::mt19937_64& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

// A point on one of the four walls (0.15 m inside), at height z.
Vec3 on_wall(std::mt19937_64& rng, const sim::Room& r, int wall, double z) {
  const double m = 0.15;
  switch (wall & 3) {
    case 0: return {m, uniform(rng, m, r.depth_m - m), z};
    case 1: return {r.width_m - m, uniform(rng, m, r.depth_m - m), z};
    case 2: return {uniform(rng, m, r.width_m - m), m, z};
    default: return {uniform(rng, m, r.width_m - m), r.depth_m - m, z};
  }
}

Vec3 floor_point(std::mt19937_64& rng, const sim::Room& r) {
  return {uniform(rng, 0.7, r.width_m - 0.7), uniform(rng, 0.7, r.depth_m - 0.7), 0};
}

}  // namespace

sim::Scene sample_room(std::uint64_t room_seed) {
  std::mt19937_64 rng(sim::derive_seed(room_seed, "pose-room"));
  sim::Scene s;
  s.name = "room-" + std::to_string(room_seed);
  s.room.width_m = uniform(rng, 3.5, 8.0);
  s.room.depth_m = uniform(rng, 3.0, 7.0);
  s.room.height_m = uniform(rng, 2.4, 3.2);
  s.room.wall_reflectivity = uniform(rng, 0.2, 0.5);
  s.room.floor_reflectivity = uniform(rng, 0.15, 0.35);
  s.room.ceiling_reflectivity = uniform(rng, 0.1, 0.3);
  const int ap_wall = static_cast<int>(rng() % 4);
  const Vec3 ap = on_wall(rng, s.room, ap_wall, uniform(rng, 1.8, s.room.height_m - 0.2));
  for (int i = 0; i < 3; ++i) {
    sim::SensorNode n;
    n.esp_node_id = static_cast<std::uint8_t>(i + 1);
    n.id = "esp32-" + std::to_string(i + 1);
    // Receivers on the other walls, so every link crosses the room.
    const Vec3 rx = on_wall(rng, s.room, ap_wall + 1 + i, uniform(rng, 0.6, 1.6));
    n.links.push_back({0, ap, rx, {0, 0, 1}});
    s.nodes.push_back(std::move(n));
  }
  const int furniture = 4 + static_cast<int>(rng() % 9);
  for (int i = 0; i < furniture; ++i) {
    s.furniture.push_back({{uniform(rng, 0.3, s.room.width_m - 0.3), uniform(rng, 0.3, s.room.depth_m - 0.3),
                            uniform(rng, 0.3, 1.2)},
                           uniform(rng, 0.05, 0.3)});
  }
  return s;
}

Subject sample_subject(std::uint64_t subject_seed) {
  std::mt19937_64 rng(sim::derive_seed(subject_seed, "pose-subject"));
  Subject s;
  s.height_m = uniform(rng, 1.50, 1.95);
  s.walk_speed_m_s = uniform(rng, 0.6, 1.4);
  s.gesture_hz = uniform(rng, 0.6, 1.5);
  const double size = s.height_m / 1.75;
  s.body.chest_reflectivity = uniform(rng, 0.35, 0.65) * size;
  s.body.head_reflectivity = uniform(rng, 0.08, 0.16);
  s.body.joint_reflectivity = uniform(rng, 0.04, 0.08);
  s.body.limb_reflectivity = uniform(rng, 0.07, 0.13);
  s.body.chest_depth_m = uniform(rng, 0.08, 0.15) * size;
  s.vitals = {.breathing_bpm = uniform(rng, 8, 22), .breathing_depth_mm = uniform(rng, 3, 8),
              .irregularity = uniform(rng, 0.02, 0.1), .heart_bpm = uniform(rng, 55, 95), .heart_depth_mm = 0.3};
  return s;
}

sim::PersonSpec sample_person(const sim::Scene& room, const Subject& subject, std::uint64_t script_seed,
                              double duration_s) {
  std::mt19937_64 rng(sim::derive_seed(script_seed, "pose-script"));
  sim::PersonSpec p;
  p.id = 1;
  p.body = subject.body;
  p.vitals = subject.vitals;
  p.motion.height_m = subject.height_m;
  p.motion.start = floor_point(rng, room.room);
  p.motion.start_heading_rad = uniform(rng, -3.14159, 3.14159);
  // After a posture other than standing the person stands up before walking again.
  double t = 0;
  Activity last = Activity::standing;
  while (t < duration_s) {
    const double pick = uniform(rng, 0, 1);
    sim::MotionStep m;
    if (pick < 0.30) {
      if (last == Activity::sitting || last == Activity::fallen) {
        m.activity = Activity::standing;
        m.duration_s = uniform(rng, 1.0, 2.0);
        m.transition_s = 1.2;
        p.motion.steps.push_back(m);
        t += m.duration_s;
        m = {};
      }
      m.activity = Activity::walking;
      m.speed_m_s = subject.walk_speed_m_s * uniform(rng, 0.85, 1.15);
      for (int i = 0, n = 1 + static_cast<int>(rng() % 3); i < n; ++i) m.waypoints.push_back(floor_point(rng, room.room));
      t += 4.0;  // a rough guess of the walk's length; the script runs on regardless
    } else if (pick < 0.50) {
      m.activity = Activity::standing;
      m.duration_s = uniform(rng, 2, 6);
    } else if (pick < 0.68) {
      m.activity = Activity::sitting;
      m.duration_s = uniform(rng, 3, 8);
      m.transition_s = uniform(rng, 1.0, 2.0);
    } else if (pick < 0.84) {
      m.activity = Activity::gesturing;
      m.duration_s = uniform(rng, 3, 7);
      m.transition_s = 0.5;
      m.gesture_hz = subject.gesture_hz;
    } else if (pick < 0.92) {
      m.activity = Activity::fallen;
      m.duration_s = uniform(rng, 3, 6);
      m.transition_s = uniform(rng, 0.6, 1.0);
    } else {
      m.activity = Activity::absent;
      m.duration_s = uniform(rng, 2, 5);
    }
    t += m.duration_s;
    last = m.activity;
    p.motion.steps.push_back(m);
  }
  return p;
}

}  // namespace wdp::pose
