#pragma once
// Scores a predictions file against a ground-truth file (frames matched by index). Per frame,
// predictions are matched to truth persons greedily by OKS; a truth person without a match
// counts every labelled joint as wrong in the PCKs (and is left out of MPJPE / PA-MPJPE, which
// report over matched persons, with the miss count beside them).
#include <cstddef>
#include <string>

#include "predictions_io.h"

namespace wdp::pose::eval {

struct Report {
  std::size_t frames = 0, truth_persons = 0, matched = 0, missed = 0, false_positives = 0;
  double torso_pck_20 = 0, torso_pck_50 = 0, pckh_50 = 0;
  double oks_ap = 0, oks_ap_50 = 0, oks_ap_75 = 0, mean_oks = 0;
  double mpjpe_m = 0, pa_mpjpe_m = 0;
  std::string to_json() const;
};

Report score(const PredictionsFile& predictions, const PredictionsFile& truth);

}  // namespace wdp::pose::eval
