#pragma once
// One dataset episode: a room, one subject with an activity script, run through the physics
// simulator and the SAME per-link signal pipeline signal-processor uses (CsiFrame in, feature
// window out); each joined multi-node window is paired with the ground truth at its end time.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "body_frame.h"
#include "link_pipeline.h"
#include "scene.h"

namespace wdp::pose {

struct EpisodeSpec {
  std::uint64_t room_seed = 0;
  std::uint64_t subject_seed = 0;
  std::uint64_t script_seed = 0;
  double duration_s = 60;
  double rate_hz = 50;              // packets per second per link
  double snr_db = 30;
  double packet_loss = 0.01;
  signal::PipelineParams pipeline;  // feature_frames / feature_hop set the window and its stride
};

struct Sample {
  double t = 0;                     // window end, simulation seconds
  std::vector<float> x;             // [T][L][56][2]
  bool present = false;
  std::string activity;             // ground truth activity ("absent" when nobody is there)
  Keypoints3 room{};                // ground truth, room frame (zeros when absent)
  Keypoints3 body{};                // ground truth, body frame (docs/model-contract.md)
};

// Calls on_sample for every joined window; returns the number of links L.
std::size_t run_episode(const EpisodeSpec& spec, const std::function<void(const Sample&)>& on_sample);

}  // namespace wdp::pose
