#pragma once
// Survivor position from per-link breathing modulation (link attenuation evidence) over a
// likelihood grid covering the zone plus a margin around it, from the ground up to the debris
// surface (or 2 m outside the debris). The posterior mass inside the zone says whether the
// breathing is this zone's at all (a rescuer standing next to the pile also breathes).
//
// For a breathing chest at p, link L = (tx, rx) sees on average (over the path's carrier phase) a
// modulation relative to its static channel
//   M_L(p) = [10^(−(loss(tx,p) + loss(p,rx))/20) / (|tx−p| + |p−rx|)] · g_L(p) · obs_L(Δ)
//          / [10^(−loss(tx,rx)/20) / |tx−rx|]
// (the point-scatter and line-of-sight terms of the channel model, debris loss in dB/m along each
// leg; g_L(p) = |∂(path length)/∂z|, the sensitivity to a vertical chest movement of a survivor
// lying face up or down; obs_L the mean observability at the excess length Δ, observability.h),
// times S, an unknown common scale (chest reflectivity × breathing depth), marginalised per cell
// (flat in dB).
//
// What one link actually sees is not that mean: LinkStream's normalisation is real-linear, so a
// chest path at carrier phase ψ against the static channel (unknowable: a full turn per 12 cm of
// path) leaves cos ψ·u + sin ψ·w across the groups of subcarriers, u and w the link's
// observability shapes at Δ (observability.h). For the short excess lengths of a pile between
// the nodes w (an amplitude tilt) ≫ u: a link sees up to 3 dB more than the mean, or much less.
// Symmetric residuals in dB mistook that for distance (median error 1.04 m).
//
// Coherent likelihood (default): per link, the tone covariance across groups Q (the ±f breathing
// tones of each window, averaged over scans) against the rank-one model μ·v·vᴴ + n·I, v = cos ψ·u
// + sin ψ·w, n = the noise per group plus `mismatch`·μ·|v|²/groups (what the shape model misses),
// with `2·windows` Gaussian snapshots; ψ is marginalised (uniform) and μ = S²·(M_L/obs_L)². The
// shape says which mix of u and w the link sees, so a weak link is put down to its phase, not
// to distance. Both directions of a node pair see the same channel and the same ψ (counted from
// each reference's phase line), so their likelihoods share ψ.
// Magnitude fallback (no tone covariance): the likelihood of the measured breathing power E
// (tone power minus the noise power N) is the mean over ψ of a Gaussian around
// S²·M_L²·(cos²ψ + ρ·sin²ψ)·2/(1 + ρ), ρ = λmin/λmax of the observability, with the variance of a
// tone estimate in noise, (2·μ·N + N²)/dof, plus `model_db`; a pair's directions are averaged.
//
// The posterior mean is the estimate; the uncertainty radius is the horizontal radius holding
// `coverage` of the posterior mass around it, times radius_scale (calibrated on the simulator),
// floored at min_radius_m.
#include <optional>
#include <vector>

#include "site.h"
#include "vital_analyzer.h"
#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

struct LocalizerParams {
  double grid_step_m = 0.1;
  double z_step_m = 0.2;
  double model_db = 2.0;         // model error of M_L (power, dB)
  // Independent windows in the scan-averaged evidence (coherent: 2·windows snapshots; magnitude:
  // dof = 2·groups·windows). 0.5 (one snapshot) tempers the rank-one model's confidence: tuned on
  // mat-eval seeds 101–120 (0.5: median 0.42 m; 1: 0.52 m; 2: 0.47 m with radii covering 40 %).
  double windows = 0.5;
  int phase_steps = 16;          // ψ samples
  bool coherent = true;          // use the tone covariance across groups (else magnitudes only)
  double mismatch = 0.3;         // share of the path power the rank-one shape model may miss
  double scale_step_db = 1.0;    // grid of the common scale S
  double coverage = 0.9;
  // Calibration of the radius (of a survivor track, which fuses the fixes): the 90 % quantile of
  // error / radius over mat-eval seeds 101–120 was 1.33 (README: coverage on seeds 1–20).
  double radius_scale = 1.4;
  double min_radius_m = 0.2;
  std::size_t min_links = 3;     // measured links needed for a fix
  double detect_ratio = 1.0;     // modulation / noise (averaged over scans) for a link to count as measured
  double margin_m = 1.5;         // the grid extends this far beyond the zone
  bool map_estimate = false;     // the most likely cell instead of the posterior mean
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
// The mean model above for one link (linear ratio, without S); exposed for tests and the evaluation tool.
double predicted_modulation(const Site& site, const SiteLink& link, const ObservabilityTable& obs, P3 p);
// Evaluation: {log-likelihood at q, best common scale (dB), then per channel: site link,
// E (dB), N (dB), S·M (dB), ρ, log-likelihood term at that scale}.
std::vector<double> link_terms(const Site& site, const v1::ScanZone& zone, const std::vector<LinkEvidence>& links, P3 q,
                               const LocalizerParams& lp = {});
// Log-likelihood of a measured breathing power E (noise power N, dof) given the mean modelled
// power mu and the observability spread rho (see above).
double link_log_likelihood(double E, double N, double dof, double mu, double rho, const LocalizerParams& p = {});

}  // namespace wdp::mat
