#pragma once
// mat-detector: WiFi-Mat survivor detection, START triage and alerts
// Until its issue lands it joins the bus, meters its inputs and reports DEGRADED with the reason;
// it never publishes invented output.
#include "wdp/runtime/input_meter.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::mat {

class MatDetectorService {
 public:
  explicit MatDetectorService(runtime::ServiceRuntime& runtime) : rt_(runtime), meter_(runtime) {}
  void run();

 private:
  runtime::ServiceRuntime& rt_;
  runtime::InputMeter meter_;
};

}  // namespace wdp::mat
