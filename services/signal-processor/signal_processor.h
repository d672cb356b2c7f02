#pragma once
// signal-processor: consumes csi.raw.<node>, will publish sensing.<node> and features.<node>.
// The DSP pipeline is issue [4/7]; today it validates and meters its input per node and says so
// in its state, publishing nothing it has not computed.
#include <string>
#include <vector>

#include "wdp/runtime/input_meter.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::signal {

struct SignalProcessorOptions {
  // Node-id prefixes to process (e.g. one pipeline per sensor node); empty = every node.
  std::vector<std::string> nodes;
};

class SignalProcessorService {
 public:
  SignalProcessorService(SignalProcessorOptions options, runtime::ServiceRuntime& runtime);
  void run();

 private:
  SignalProcessorOptions options_;
  runtime::ServiceRuntime& rt_;
  runtime::InputMeter meter_;
};

}  // namespace wdp::signal
