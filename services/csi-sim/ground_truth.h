#pragma once
// What the simulator knows to be true at a sample instant, as wdp.v1.GroundTruth (published on
// "gt.<scene>") and as one JSON object per line (the --truth-file), so signal, pose and WiFi-Mat
// can be scored against it.
#include <cstdint>
#include <string>

#include "simulator.h"
#include "wdp/v1/ground_truth.pb.h"

namespace wdp::sim {

// Fills everything but origin.
v1::GroundTruth make_ground_truth(const Simulator& sim, double t_s);
// {"t":…, "time_ns":…, "scene":…, "person_count":…, "persons":[…], "survivors":[…]}
std::string ground_truth_json(const v1::GroundTruth& truth, double t_s);

}  // namespace wdp::sim
