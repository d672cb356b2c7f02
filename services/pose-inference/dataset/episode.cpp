#include "episode.h"

#include <memory>

#include "frame_encoding.h"
#include "ground_truth.h"
#include "scene_sampler.h"
#include "simulator.h"
#include "window_aligner.h"

namespace wdp::pose {

std::size_t run_episode(const EpisodeSpec& spec, const std::function<void(const Sample&)>& on_sample) {
  sim::Scene scene = sample_room(spec.room_seed);
  scene.people.push_back(sample_person(scene, sample_subject(spec.subject_seed), spec.script_seed, spec.duration_s));
  const std::size_t links = scene.nodes.size();
  sim::SimOptions options{.rate_hz = spec.rate_hz, .seed = spec.script_seed};
  options.hardware.snr_db = spec.snr_db;
  options.hardware.packet_loss = spec.packet_loss;
  sim::Simulator simulator(std::move(scene), options);

  const std::size_t frames = spec.pipeline.feature_frames;
  // Half a hop: windows of different nodes that belong together end within one grid step.
  WindowAligner aligner(links, frames, 0.5 * static_cast<double>(spec.pipeline.feature_hop) / spec.pipeline.grid_rate_hz);
  std::vector<std::unique_ptr<signal::LinkPipeline>> pipelines;
  for (std::size_t n = 0; n < links; ++n) {
    pipelines.push_back(std::make_unique<signal::LinkPipeline>(
        spec.pipeline, [](const signal::SensingResult&) {},
        [&aligner, n](const signal::FeatureWindowResult& r) { aligner.push(n, {.t = r.t, .values = r.values}); }));
  }
  v1::CsiFrame frame;
  while (simulator.time_s() < spec.duration_s) {
    for (const auto& f : simulator.step()) {
      if (f.packet.lost) continue;
      sim::to_csi_frame(simulator, f, static_cast<std::int64_t>(f.time_s * 1e9), frame);
      pipelines[f.node]->push(frame, f.time_s);
    }
    while (auto w = aligner.pop()) {
      Sample s{.t = w->t, .x = std::move(w->values), .activity = "absent"};
      const v1::GroundTruth truth = sim::make_ground_truth(simulator, w->t);
      for (const auto& p : truth.persons()) {
        if (!p.present() || p.keypoints_size() != 17) continue;
        s.present = true;
        s.activity = p.activity();
        for (int j = 0; j < 17; ++j) s.room[j] = {p.keypoints(j).x(), p.keypoints(j).y(), p.keypoints(j).z()};
        s.body = to_body_frame(s.room);
      }
      on_sample(s);
    }
  }
  return links;
}

}  // namespace wdp::pose
