#include "recording_truth.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "body_frame.h"
#include "wdp/bus/topics.h"

namespace wdp::pose {

RecordingTruth::RecordingTruth(const recorder::RecordingSource& source) {
  v1::GroundTruth gt;
  source.for_each([&](const recorder::RecordView& r) {
    if (r.topic.starts_with(bus::topics::ground_truth) &&
        gt.ParseFromArray(r.payload.data(), static_cast<int>(r.payload.size())))
      truth_.emplace_back(static_cast<double>(gt.origin().capture_time_ns()) * 1e-9, gt);
    return true;
  });
  std::stable_sort(truth_.begin(), truth_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

const v1::GroundTruth* RecordingTruth::nearest(double t, double tolerance_s) const {
  const auto it = std::lower_bound(truth_.begin(), truth_.end(), t, [](const auto& e, double v) { return e.first < v; });
  const std::pair<double, v1::GroundTruth>* best = nullptr;
  if (it != truth_.end()) best = &*it;
  if (it != truth_.begin() && (!best || t - std::prev(it)->first < best->first - t)) best = &*std::prev(it);
  return best && std::abs(best->first - t) <= tolerance_s ? &best->second : nullptr;
}

FrameRecord truth_frame(const v1::GroundTruth& truth, std::uint64_t index, double t, const std::string& coordinate_frame) {
  if (coordinate_frame != "body" && coordinate_frame != "room")
    throw std::invalid_argument("ground truth in the '" + coordinate_frame + "' frame is not available");
  FrameRecord f{.index = index, .t = t};
  for (const auto& p : truth.persons()) {
    if (!p.present() || p.keypoints_size() != 17) continue;
    Keypoints3 room{};
    for (int j = 0; j < 17; ++j) room[static_cast<std::size_t>(j)] = {p.keypoints(j).x(), p.keypoints(j).y(), p.keypoints(j).z()};
    const Keypoints3 k = coordinate_frame == "body" ? to_body_frame(room) : room;
    PersonRecord r{.track_id = p.person_id(), .score = 1};
    for (std::size_t j = 0; j < 17; ++j) r.keypoints[j] = {k[j][0], k[j][1], k[j][2], 2};
    f.persons.push_back(r);
  }
  return f;
}

}  // namespace wdp::pose
