#include "signal_processor.h"

#include "wdp/bus/topics.h"
#include "wdp/v1/csi_frame.pb.h"

namespace wdp::signal {

SignalProcessorService::SignalProcessorService(SignalProcessorOptions options, runtime::ServiceRuntime& rt)
    : options_(std::move(options)), rt_(rt), meter_(rt) {}

void SignalProcessorService::run() {
  auto& sub = rt_.add_subscriber();
  std::vector<std::string> prefixes;
  for (const auto& node : options_.nodes) prefixes.push_back(bus::topics::make(bus::topics::csi_raw, node));
  if (prefixes.empty()) prefixes.emplace_back(bus::topics::csi_raw);
  for (const auto& prefix : prefixes) {
    sub.on<v1::CsiFrame>(prefix, [this](const v1::CsiFrame&, const bus::Delivery& d) { meter_.count(d.topic); });
  }
  rt_.set_state(v1::SERVICE_STATE_DEGRADED, "receiving CSI; DSP pipeline not built yet (issue 4/7), no sensing output");
  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(100));
    rt_.tick();
  }
}

}  // namespace wdp::signal
