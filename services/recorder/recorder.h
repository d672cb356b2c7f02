#pragma once
// recorder: writes bus traffic to crash-safe segment files
// Until its issue lands it joins the bus, meters its inputs and reports DEGRADED with the reason;
// it never publishes invented output.
#include "wdp/runtime/input_meter.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::recorder {

class RecorderService {
 public:
  explicit RecorderService(runtime::ServiceRuntime& runtime) : rt_(runtime), meter_(runtime) {}
  void run();

 private:
  runtime::ServiceRuntime& rt_;
  runtime::InputMeter meter_;
};

}  // namespace wdp::recorder
