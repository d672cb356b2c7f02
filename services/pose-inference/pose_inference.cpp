#include "pose_inference.h"

#include <spdlog/spdlog.h>

#include <map>

#include "opencv_backend.h"
#include "wdp/bus/topics.h"

namespace wdp::pose {

PoseInferenceService::PoseInferenceService(PoseServiceOptions options, runtime::ServiceRuntime& rt)
    : o_(std::move(options)),
      rt_(rt),
      meter_(rt),
      frames_(rt.metrics().counter("wdp_pose_frames_total", "Pose frames published")),
      persons_(rt.metrics().counter("wdp_pose_persons_total", "Persons published (summed over frames)")),
      reloads_(rt.metrics().counter("wdp_pose_model_loads_total", "Models loaded (start and hot reloads)")),
      reload_failures_(rt.metrics().counter("wdp_pose_model_load_failures_total", "Model files that failed to load")),
      latency_(rt.metrics().histogram("wdp_pose_inference_seconds",
                                      "Joined window -> pose frame (normalize, infer, track)",
                                      metrics::exponential_buckets(2e-5, 2, 16))),
      ready_(rt.metrics().gauge("wdp_pose_model_loaded", "1 while a pose model is serving")) {}

void PoseInferenceService::run() {
  set_inference_threads(o_.threads);
  auto& sub = rt_.add_subscriber();
  std::unique_ptr<ModelWatcher> watcher;
  if (o_.model.empty()) {
    rt_.set_state(v1::SERVICE_STATE_DEGRADED, "no pose model configured (--model): no poses are published");
  } else {
    rt_.set_state(v1::SERVICE_STATE_DEGRADED, "loading pose model " + o_.model);
    // Runs on the watcher's thread too: only thread-safe runtime calls here.
    watcher = std::make_unique<ModelWatcher>(o_.model, std::chrono::milliseconds(o_.reload_poll_ms),
                                             [this](bool loaded, const std::string& msg) {
                                               if (loaded) {
                                                 reloads_.inc();
                                                 ready_.set(1);
                                                 spdlog::info("pose model {}", msg);
                                                 rt_.set_state(v1::SERVICE_STATE_READY);
                                               } else {
                                                 reload_failures_.inc();
                                                 spdlog::error("pose model not loaded: {}", msg);
                                                 if (ready_.value() < 1)
                                                   rt_.set_state(v1::SERVICE_STATE_DEGRADED, "no pose model loaded: " + msg);
                                               }
                                             });
  }
  PoseStage stage({.nodes = o_.nodes, .score_threshold = o_.score_threshold, .tracker = o_.tracker});
  std::vector<StageOutput> out;
  std::map<std::string, metrics::Counter*> rejects;
  sub.on<v1::FeatureWindow>(bus::topics::features, [&](const v1::FeatureWindow& w, const bus::Delivery& d) {
    meter_.count(d.topic);
    const std::string node = w.origin().node_id();
    out.clear();
    const std::string why = stage.on_window(node, w, watcher ? watcher->current() : nullptr, out);
    if (!why.empty()) {
      auto [it, inserted] = rejects.try_emplace(why, nullptr);
      if (inserted)
        it->second = &rt_.metrics().counter("wdp_pose_windows_unused_total", "Feature windows not used", {{"reason", why}});
      it->second->inc();
    }
    for (auto& o : out) {
      rt_.fill_origin(*o.frame.mutable_origin(), o.node, static_cast<std::int64_t>(o.t * 1e9));
      rt_.publisher().publish(bus::topics::make(bus::topics::pose, o.node), o.frame);
      latency_.observe(o.latency_s);
      frames_.inc();
      persons_.inc(static_cast<std::uint64_t>(o.frame.persons_size()));
    }
  });
  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(100));
    rt_.tick();
  }
}

}  // namespace wdp::pose
