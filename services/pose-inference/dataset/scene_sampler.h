#pragma once
// Random rooms, subjects and activity scripts for pose datasets. A room (size, wall materials,
// AP and receiver placement, furniture) depends only on its room seed and a subject (height,
// gait speed, reflectivities, vitals) only on its subject seed, so cross-room and cross-subject
// splits are disjoint by construction.
#include <cstdint>

#include "scene.h"

namespace wdp::pose {

struct Subject {
  double height_m = 1.75;
  double walk_speed_m_s = 1.0;
  double gesture_hz = 1.0;
  sim::BodyParams body;
  sim::VitalsParams vitals;
};

// Room with three single-link receiver nodes (esp32-1..3) and one AP, nobody in it.
sim::Scene sample_room(std::uint64_t room_seed);
Subject sample_subject(std::uint64_t subject_seed);
// One person in `room` doing a random sequence of activities for about `duration_s` seconds:
// out of the room, walking between random floor points, standing, sitting, gesturing, falling.
sim::PersonSpec sample_person(const sim::Scene& room, const Subject& subject, std::uint64_t script_seed,
                              double duration_s);

}  // namespace wdp::pose
