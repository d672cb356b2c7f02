#include "mat_detector.h"

#include "wdp/bus/topics.h"

namespace wdp::mat {

void MatDetectorService::run() {
  auto& sub = rt_.add_subscriber();
  for (auto prefix : {bus::topics::sensing, bus::topics::features}) meter_.watch(sub, prefix);
  rt_.set_state(v1::SERVICE_STATE_DEGRADED, "survivor detection not built yet (issue 7/7): no survivors are published");
  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(100));
    rt_.tick();
  }
}

}  // namespace wdp::mat
