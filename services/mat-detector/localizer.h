#pragma once
// Survivor position from per-link breathing modulation (link attenuation evidence) over a
// likelihood grid covering the zone plus a margin around it, from the ground up to the debris
// surface (or 2 m outside the debris). The posterior mass inside the zone says whether the
// breathing is this zone's at all (a rescuer standing next to the pile also breathes).
//
// For a breathing chest at p, link L = (tx, rx) sees a modulation relative to its static channel
//   pred_L(p) = [10^(−(loss(tx,p) + loss(p,rx))/20) / (|tx−p| + |p−rx|)] · g_L(p)
//             / [10^(−loss(tx,rx)/20) / |tx−rx|]
// (the point-scatter and line-of-sight terms of the channel model, debris loss in dB/m along each
// leg), times the link's observability at the excess path length (observability.h), with g_L(p) = |∂(path length)/∂z| the sensitivity to a vertical chest movement (a survivor
// lying face up or down). An unknown common scale (chest reflectivity × breathing depth) is fitted
// per grid point. Measured links (averaged modulation above the noise amplitude) give heavy-tailed (Cauchy) residuals in dB with scale
// σ² = σ0² + (8.7·noise/modulation)²; links below that are upper bounds. The posterior mean is the
// estimate; the uncertainty radius is the horizontal radius holding `coverage` of the posterior
// mass around it, times radius_scale (calibrated on the simulator), floored at the grid step.
#include <optional>
#include <vector>

#include "site.h"
#include "vital_analyzer.h"
#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

struct LocalizerParams {
  double grid_step_m = 0.1;
  double z_step_m = 0.2;
  double sigma_db = 4.0;
  double coverage = 0.9;
  double radius_scale = 3.0;     // calibrated on mat-eval: coverage 0.71 (0.21 at 1.0)
  double min_radius_m = 0.2;
  std::size_t min_links = 3;     // measured links needed for a fix
  double detect_ratio = 1.0;     // modulation / noise (averaged over scans) for a link to count as measured
  double margin_m = 1.5;         // the grid extends this far beyond the zone
};

struct Fix {
  double x = 0, y = 0, z = 0;
  double depth_m = 0;
  double radius_m = 0;
  std::size_t links = 0;
  double inside = 1;             // posterior mass inside the zone (the rest lies in the margin)
};

std::optional<Fix> localize(const Site& site, const v1::ScanZone& zone, const std::vector<LinkEvidence>& links,
                            const LocalizerParams& p = {});
// The model above for one link (linear ratio); exposed for tests and the evaluation tool.
double predicted_modulation(const Site& site, const SiteLink& link, const ObservabilityTable& obs, P3 p);

}  // namespace wdp::mat
