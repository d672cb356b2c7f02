#include "motion.h"

#include <algorithm>
#include <cmath>

namespace wdp::sim {
namespace {

struct Placement {
  Vec3 floor;
  double heading = 0;
  Pose body{};  // body-frame pose at the end of the step
};

double polyline_length(Vec3 from, const std::vector<Vec3>& pts) {
  double len = 0;
  for (const auto& p : pts) {
    len += std::hypot(p.x - from.x, p.y - from.y);
    from = p;
  }
  return len;
}

double step_duration(const MotionStep& s, Vec3 from) {
  if (s.activity == Activity::walking && s.duration_s <= 0) {
    return polyline_length(from, s.waypoints) / std::max(s.speed_m_s, 1e-3);
  }
  return s.duration_s;
}

Pose target_pose(Activity a, double h) {
  switch (a) {
    case Activity::sitting: return sitting_pose(h);
    case Activity::fallen: return lying_pose(h);
    default: return standing_pose(h);
  }
}

// Walking gait: legs and arms swing in opposition, one stride per two steps.
Pose gait_pose(double h, double phase) {
  Pose p = standing_pose(h);
  const double swing = 0.30 * (h / 1.75) * std::sin(phase);
  p[kLeftAnkle].x += swing;
  p[kRightAnkle].x -= swing;
  p[kLeftKnee].x += 0.5 * swing;
  p[kRightKnee].x -= 0.5 * swing;
  p[kLeftAnkle].z += 0.05 * std::max(0.0, std::sin(phase));
  p[kRightAnkle].z += 0.05 * std::max(0.0, -std::sin(phase));
  p[kLeftWrist].x -= 0.6 * swing;
  p[kRightWrist].x += 0.6 * swing;
  p[kLeftElbow].x -= 0.3 * swing;
  p[kRightElbow].x += 0.3 * swing;
  const double bob = 0.02 * std::cos(2 * phase);
  for (auto& k : p) k.z += bob;
  return p;
}

// Right arm raised and waving side to side.
Pose gesture_pose(double h, double phase) {
  Pose p = standing_pose(h);
  const double s = h / 1.75;
  const double wave = 0.15 * s * std::sin(phase);
  p[kRightElbow] = {0.10 * s, -0.35 * s, 1.55 * s};
  p[kRightWrist] = {0.15 * s, -0.35 * s + wave, 1.85 * s};
  return p;
}

BodyState state_in_step(const MotionScript& sc, const MotionStep& s, const Placement& from, double dt, double dur) {
  BodyState b;
  b.present = s.activity != Activity::absent;
  b.activity = s.activity;
  b.floor_position = from.floor;
  b.heading_rad = from.heading;
  Pose body = target_pose(s.activity, sc.height_m);
  if (s.activity == Activity::walking) {
    const bool done = dt >= dur;
    dt = std::min(dt, dur);
    double remaining = dt * s.speed_m_s;
    Vec3 at = from.floor;
    double heading = from.heading;
    for (const auto& wp : s.waypoints) {
      const double seg = std::hypot(wp.x - at.x, wp.y - at.y);
      if (seg > 1e-9) heading = std::atan2(wp.y - at.y, wp.x - at.x);
      if (remaining <= seg) {
        if (seg > 1e-9) at = lerp(at, Vec3{wp.x, wp.y, at.z}, remaining / seg);
        remaining = -1;
        break;
      }
      remaining -= seg;
      at = {wp.x, wp.y, at.z};
    }
    b.floor_position = at;
    b.heading_rad = heading;
    b.speed_m_s = done ? 0.0 : s.speed_m_s;
    // Step frequency ~1.8 Hz at 1 m/s; the gait phase follows the distance covered.
    body = gait_pose(sc.height_m, 2 * kPi * (dt * s.speed_m_s) / 1.1);
  } else if (s.activity == Activity::gesturing) {
    body = gesture_pose(sc.height_m, 2 * kPi * s.gesture_hz * dt);
  }
  // Posture changes (sit down, fall, get up) blend from the previous step's final pose.
  if (s.activity != Activity::walking && s.transition_s > 0 && dt < s.transition_s) {
    const double u = dt / s.transition_s;
    const double w = s.activity == Activity::fallen ? u * u : 0.5 - 0.5 * std::cos(kPi * u);
    body = blend(from.body, body, w);
  }
  b.pose = place_pose(body, b.heading_rad, b.floor_position);
  return b;
}

}  // namespace

const char* activity_name(Activity a) {
  switch (a) {
    case Activity::absent: return "absent";
    case Activity::walking: return "walking";
    case Activity::standing: return "standing";
    case Activity::sitting: return "sitting";
    case Activity::fallen: return "fallen";
    case Activity::gesturing: return "gesturing";
  }
  return "unknown";
}

double script_duration(const MotionScript& sc) {
  double total = 0;
  Vec3 at = sc.start;
  for (const auto& s : sc.steps) {
    total += step_duration(s, at);
    if (s.activity == Activity::walking && !s.waypoints.empty()) at = s.waypoints.back();
  }
  return total;
}

BodyState evaluate_motion(const MotionScript& sc, double t) {
  Placement from{sc.start, sc.start_heading_rad, standing_pose(sc.height_m)};
  double t0 = 0;
  for (std::size_t i = 0; i < sc.steps.size(); ++i) {
    const auto& s = sc.steps[i];
    const double dur = step_duration(s, from.floor);
    const bool last = i + 1 == sc.steps.size();
    if (t < t0 + dur || last) return state_in_step(sc, s, from, std::max(0.0, t - t0), dur);
    const BodyState end = state_in_step(sc, s, from, dur, dur);
    from.floor = end.floor_position;
    from.heading = end.heading_rad;
    from.body = s.activity == Activity::walking ? standing_pose(sc.height_m) : target_pose(s.activity, sc.height_m);
    t0 += dur;
  }
  BodyState b;  // no steps: standing at the start
  b.present = true;
  b.activity = Activity::standing;
  b.floor_position = sc.start;
  b.heading_rad = sc.start_heading_rad;
  b.pose = place_pose(standing_pose(sc.height_m), sc.start_heading_rad, sc.start);
  return b;
}

}  // namespace wdp::sim
