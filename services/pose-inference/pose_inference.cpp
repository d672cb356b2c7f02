#include "pose_inference.h"

#include "wdp/bus/topics.h"

namespace wdp::pose {

void PoseInferenceService::run() {
  auto& sub = rt_.add_subscriber();
  for (auto prefix : {bus::topics::features}) meter_.watch(sub, prefix);
  rt_.set_state(v1::SERVICE_STATE_DEGRADED, "no pose model loaded (issue 6/7): no poses are published");
  while (!rt_.stopping()) {
    sub.poll(std::chrono::milliseconds(100));
    rt_.tick();
  }
}

}  // namespace wdp::pose
