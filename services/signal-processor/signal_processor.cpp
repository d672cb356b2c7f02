#include "signal_processor.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "sensing_messages.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/topics.h"

namespace wdp::signal {

double frame_time_s(const v1::CsiFrame& f) {
  return f.sensor_time_ns() != 0 ? double(f.sensor_time_ns()) * 1e-9 : double(f.receive_time_ns()) * 1e-9;
}

SignalProcessorService::SignalProcessorService(SignalProcessorOptions options, runtime::ServiceRuntime& rt)
    : options_(std::move(options)),
      rt_(rt),
      frames_(rt.metrics().counter("wdp_signal_processor_frames_total", "CSI frames processed")),
      updates_(rt.metrics().counter("wdp_signal_processor_updates_total", "Sensing updates published")),
      windows_(rt.metrics().counter("wdp_signal_processor_feature_windows_total", "Feature windows published")),
      frame_seconds_(rt.metrics().histogram("wdp_signal_processor_frame_seconds", "Processing time per frame",
                                            metrics::exponential_buckets(1e-6, 2, 16))) {}

LinkPipeline& SignalProcessorService::pipeline_for(const std::string& node) {
  auto it = links_.find(node);
  if (it != links_.end()) return *it->second;
  spdlog::info("new link node={}", node);
  auto on_sensing = [this, node](const SensingResult& r) {
    v1::SensingUpdate u;
    to_proto(r, u);
    rt_.fill_origin(*u.mutable_origin(), node, static_cast<std::int64_t>(r.t * 1e9));
    rt_.publisher().publish(bus::topics::make(bus::topics::sensing, node), u);
    updates_.inc();
  };
  auto on_features = [this, node](const FeatureWindowResult& r) {
    v1::FeatureWindow w;
    to_proto(r, options_.pipeline.grid_rate_hz, w);
    rt_.fill_origin(*w.mutable_origin(), node, static_cast<std::int64_t>(r.t * 1e9));
    rt_.publisher().publish(bus::topics::make(bus::topics::features, node), w);
    windows_.inc();
  };
  return *links_.emplace(node, std::make_unique<LinkPipeline>(options_.pipeline, on_sensing, on_features)).first->second;
}

void SignalProcessorService::on_frame(const v1::CsiFrame& f) {
  const auto start = std::chrono::steady_clock::now();
  const std::string why = pipeline_for(f.node_id()).push(f, frame_time_s(f));
  frame_seconds_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  frames_.inc();
  if (why.empty()) return;
  auto [it, inserted] = rejects_.try_emplace(why, nullptr);
  if (inserted) {
    it->second = &rt_.metrics().counter("wdp_signal_processor_rejects_total", "Frames the pipeline could not use",
                                        {{"reason", why}});
  }
  it->second->inc();
}

void SignalProcessorService::run() {
  auto& sub = rt_.add_subscriber();
  std::vector<std::string> prefixes;
  for (const auto& node : options_.nodes) prefixes.push_back(bus::topics::make(bus::topics::csi_raw, node));
  if (prefixes.empty()) prefixes.emplace_back(bus::topics::csi_raw);
  for (const auto& prefix : prefixes) {
    sub.on<v1::CsiFrame>(prefix, [this](const v1::CsiFrame& f, const bus::Delivery&) { on_frame(f); });
  }
  rt_.set_state(v1::SERVICE_STATE_READY);
  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(100));
    rt_.tick();
  }
}

}  // namespace wdp::signal
