#pragma once
// Simulator scenes shared by the signal-processor scenario and probe tests.
#include "scene.h"

namespace wdp::signal::testing {

// The empty room (seed 7) with one person sitting still 3 m in, breathing and with a heartbeat
// as given.
inline sim::Scene still_sitting_person(sim::VitalsParams vitals) {
  sim::Scene s = sim::make_scene("empty", 7);
  sim::PersonSpec p;
  p.motion.start = {3.0, 2.0, 0};
  p.motion.steps = {{.activity = sim::Activity::sitting, .duration_s = 1, .transition_s = 0.0}};
  p.vitals = vitals;
  s.people.push_back(p);
  return s;
}

}  // namespace wdp::signal::testing
