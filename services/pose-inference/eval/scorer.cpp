#include "scorer.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <unordered_map>

#include "pose_metrics.h"

namespace wdp::pose::eval {
namespace {

Skeleton to_skeleton(const PersonRecord& p, bool truth) {
  Skeleton s{};
  for (int j = 0; j < kJoints; ++j) {
    const auto& k = p.keypoints[static_cast<std::size_t>(j)];
    s[j] = {k[0], k[1], k[2], truth ? k[3] > 0 : true};
  }
  return s;
}

}  // namespace

Report score(const PredictionsFile& pred, const PredictionsFile& truth) {
  if (pred.coordinate_frame != truth.coordinate_frame) {
    throw std::runtime_error("coordinate frames differ: predictions " + pred.coordinate_frame + ", truth " +
                             truth.coordinate_frame);
  }
  std::unordered_map<std::uint64_t, const FrameRecord*> by_index;
  for (const auto& f : pred.frames) by_index[f.index] = &f;
  Report r;
  PckCount p20, p50, ph50;
  double oks_sum = 0, mpjpe_sum = 0, pa_sum = 0;
  std::vector<EvalFrame> ap_frames;
  for (const auto& tf : truth.frames) {
    ++r.frames;
    EvalFrame ef;
    for (const auto& p : tf.persons) ef.truth.push_back(to_skeleton(p, true));
    const auto it = by_index.find(tf.index);
    if (it != by_index.end()) {
      for (const auto& p : it->second->persons) ef.predictions.push_back({to_skeleton(p, false), p.score});
    }
    std::vector<bool> used(ef.predictions.size(), false);
    for (const auto& g : ef.truth) {
      ++r.truth_persons;
      int best = -1;
      double best_oks = -1;
      for (std::size_t i = 0; i < ef.predictions.size(); ++i) {
        if (used[i]) continue;
        const double o = oks(ef.predictions[i].pose, g);
        if (o > best_oks) best_oks = o, best = static_cast<int>(i);
      }
      if (best < 0) {
        ++r.missed;
        PckCount none = pck(g, g, 0, 0);
        none.correct = 0;
        p20 += none, p50 += none, ph50 += none;
        continue;
      }
      used[static_cast<std::size_t>(best)] = true;
      ++r.matched;
      const Skeleton& p = ef.predictions[static_cast<std::size_t>(best)].pose;
      p20 += pck(p, g, 0.2, torso_length(g));
      p50 += pck(p, g, 0.5, torso_length(g));
      ph50 += pck(p, g, 0.5, head_size(g));
      oks_sum += best_oks;
      mpjpe_sum += mpjpe(p, g);
      pa_sum += pa_mpjpe(p, g);
    }
    for (bool u : used) r.false_positives += u ? 0 : 1;
    ap_frames.push_back(std::move(ef));
  }
  r.torso_pck_20 = p20.rate();
  r.torso_pck_50 = p50.rate();
  r.pckh_50 = ph50.rate();
  if (r.matched) {
    r.mean_oks = oks_sum / static_cast<double>(r.matched);
    r.mpjpe_m = mpjpe_sum / static_cast<double>(r.matched);
    r.pa_mpjpe_m = pa_sum / static_cast<double>(r.matched);
  }
  r.oks_ap = oks_ap(ap_frames);
  r.oks_ap_50 = oks_ap_at(ap_frames, 0.5);
  r.oks_ap_75 = oks_ap_at(ap_frames, 0.75);
  return r;
}

std::string Report::to_json() const {
  return nlohmann::json{{"frames", frames},
                        {"truth_persons", truth_persons},
                        {"matched", matched},
                        {"missed", missed},
                        {"false_positives", false_positives},
                        {"torso_pck_20", torso_pck_20},
                        {"torso_pck_50", torso_pck_50},
                        {"pckh_50", pckh_50},
                        {"oks_ap", oks_ap},
                        {"oks_ap_50", oks_ap_50},
                        {"oks_ap_75", oks_ap_75},
                        {"mean_oks", mean_oks},
                        {"mpjpe_m", mpjpe_m},
                        {"pa_mpjpe_m", pa_mpjpe_m},
                        {"definitions",
                         "torso-PCK: L=|g6-g11|, micro over labelled joints, misses count wrong; PCKh: L=0.6 x face-box "
                         "diagonal; OKS: kappa=2 sigma, s^2=product of two largest GT box sides; MPJPE/PA-MPJPE: metres, "
                         "matched persons, no root alignment"}}
      .dump(2);
}

}  // namespace wdp::pose::eval
