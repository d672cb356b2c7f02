#pragma once
// Scripted activities of one person over time: a list of steps (walk along waypoints, stand, sit,
// fall, gesture, absent = outside the scene), each continuing from where the previous one ended.
// Evaluation is a pure function of time, so any sample instant can be asked for in any order.
#include <string>
#include <vector>

#include "body_model.h"

namespace wdp::sim {

enum class Activity { absent, walking, standing, sitting, fallen, gesturing };
const char* activity_name(Activity a);

struct MotionStep {
  Activity activity = Activity::standing;
  double duration_s = 0;           // walking: 0 = as long as the waypoints take at `speed_m_s`
  std::vector<Vec3> waypoints;     // walking: floor points (z ignored) visited in order
  double speed_m_s = 1.0;          // walking
  double transition_s = 1.0;       // sit down / fall / stand up blend time at the start
  double gesture_hz = 1.0;         // gesturing: arm wave rate
};

struct MotionScript {
  Vec3 start;                      // floor position at t = 0
  double start_heading_rad = 0;
  double height_m = 1.75;
  std::vector<MotionStep> steps;   // after the last step the person holds its final state
};

struct BodyState {
  bool present = false;
  Activity activity = Activity::absent;
  Pose pose{};                     // room frame
  Vec3 floor_position;
  double heading_rad = 0;
  double speed_m_s = 0;
};

BodyState evaluate_motion(const MotionScript& script, double t_s);
// Total scripted duration (s).
double script_duration(const MotionScript& script);

}  // namespace wdp::sim
