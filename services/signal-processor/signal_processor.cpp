#include "signal_processor.h"

#include "wdp/bus/topics.h"
#include "wdp/v1/csi_frame.pb.h"

namespace wdp::signal {

SignalProcessorService::SignalProcessorService(runtime::ServiceRuntime& rt) : rt_(rt), meter_(rt) {}

void SignalProcessorService::run() {
  auto& sub = rt_.add_subscriber();
  sub.on<v1::CsiFrame>(bus::topics::csi_raw, [this](const v1::CsiFrame&, const bus::Delivery& d) { meter_.count(d.topic); });
  rt_.set_state(v1::SERVICE_STATE_DEGRADED, "receiving CSI; DSP pipeline not built yet (issue 4/7), no sensing output");
  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(100));
    rt_.tick();
  }
}

}  // namespace wdp::signal
