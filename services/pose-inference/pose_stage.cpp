#include "pose_stage.h"

#include <algorithm>
#include <chrono>

namespace wdp::pose {

void PoseStage::reset_for(const LoadedModel& m) {
  const auto& c = m.backend->contract();
  model_seen_ = &m;
  order_ = o_.nodes;
  if (order_.empty() && seen_.size() >= c.links) {
    order_ = seen_;
    std::sort(order_.begin(), order_.end());
    order_.resize(c.links);
  }
  // Half a window hop of slack between nodes' window end times (hop is 0.5 s at the defaults).
  aligner_ = order_.size() == c.links ? std::make_unique<WindowAligner>(c.links, c.frames, 0.25) : nullptr;
  tracker_.reset();
}

std::string PoseStage::on_window(const std::string& node, const v1::FeatureWindow& w,
                                 const std::shared_ptr<LoadedModel>& model, std::vector<StageOutput>& out) {
  if (!model) return "no model loaded";
  const auto& c = model->backend->contract();
  if (w.frames() != c.frames || w.links() != 1 || w.bins() != c.bins || w.channels() != c.channels ||
      static_cast<std::size_t>(w.values_size()) != c.frames * c.bins * c.channels)
    return "window shape does not match the model";
  if (std::find(seen_.begin(), seen_.end(), node) == seen_.end()) {
    seen_.push_back(node);
    if (o_.nodes.empty() && order_.empty()) model_seen_ = nullptr;  // try to fix the node order again
  }
  if (model.get() != model_seen_) reset_for(*model);  // first use or a hot-reloaded model
  if (!aligner_) return "waiting for the model's nodes";
  const auto slot = std::find(order_.begin(), order_.end(), node);
  if (slot == order_.end()) return "node is not an input of the model";
  const double t = static_cast<double>(w.origin().capture_time_ns()) * 1e-9;
  aligner_->push(static_cast<std::size_t>(slot - order_.begin()), {t, {w.values().begin(), w.values().end()}});
  while (auto joined = aligner_->pop()) {
    const auto start = std::chrono::steady_clock::now();
    input_ = std::move(joined->values);
    normalize_window(c, input_);
    raw_.clear();
    model->backend->infer(input_, 1, raw_);
    std::vector<RawPerson> dets;
    for (const auto& p : raw_.front())
      if (p.score >= o_.score_threshold) dets.push_back(p);
    const auto tracked = tracker_.update(dets);
    StageOutput o{.node = order_.front(), .t = joined->t};
    o.frame.set_frame(c.coordinate_frame == "room"    ? v1::COORDINATE_FRAME_ROOM_METERS
                      : c.coordinate_frame == "image" ? v1::COORDINATE_FRAME_IMAGE_NORMALIZED
                                                      : v1::COORDINATE_FRAME_BODY_METERS);
    o.frame.set_model_version(c.model_version);
    for (const auto& tp : tracked) {
      auto* p = o.frame.add_persons();
      p->set_track_id(tp.track_id);
      p->set_score(tp.person.score);
      for (std::size_t j = 0; j < 17; ++j) {
        auto* k = p->add_keypoints();
        k->set_x(tp.person.keypoints[j][0]);
        k->set_y(tp.person.keypoints[j][1]);
        k->set_z(tp.person.keypoints[j][2]);
        k->set_confidence(tp.person.confidence[j]);
      }
    }
    o.latency_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.frame.set_inference_latency_ms(o.latency_s * 1e3);
    out.push_back(std::move(o));
  }
  return {};
}

}  // namespace wdp::pose
