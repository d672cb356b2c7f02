#pragma once
// signal-processor: csi.raw.<node> -> sensing.<node> (SensingUpdate, default 10 Hz) and
// features.<node> (FeatureWindow). One LinkPipeline per node, created on its first frame.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "link_pipeline.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::signal {

struct SignalProcessorOptions {
  // Node-id prefixes to process (e.g. one pipeline per sensor node); empty = every node.
  std::vector<std::string> nodes;
  PipelineParams pipeline;
};

// Seconds of data time for a frame: the sensor clock when the source has one, else receipt.
double frame_time_s(const v1::CsiFrame& frame);

class SignalProcessorService {
 public:
  SignalProcessorService(SignalProcessorOptions options, runtime::ServiceRuntime& runtime);
  void run();

 private:
  void on_frame(const v1::CsiFrame& frame);
  LinkPipeline& pipeline_for(const std::string& node);

  SignalProcessorOptions options_;
  runtime::ServiceRuntime& rt_;
  std::map<std::string, std::unique_ptr<LinkPipeline>> links_;
  std::map<std::string, metrics::Counter*> rejects_;
  metrics::Counter& frames_;
  metrics::Counter& updates_;
  metrics::Counter& windows_;
  metrics::Histogram& frame_seconds_;
  std::string topic_;
};

}  // namespace wdp::signal
