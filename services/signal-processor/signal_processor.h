#pragma once
// signal-processor: consumes csi.raw.<node>, will publish sensing.<node> and features.<node>.
// The DSP pipeline is issue [4/7]; today it validates and meters its input per node and says so
// in its state, publishing nothing it has not computed.
#include "wdp/runtime/input_meter.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::signal {

class SignalProcessorService {
 public:
  explicit SignalProcessorService(runtime::ServiceRuntime& runtime);
  void run();

 private:
  runtime::ServiceRuntime& rt_;
  runtime::InputMeter meter_;
};

}  // namespace wdp::signal
