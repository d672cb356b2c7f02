// Localization likelihood: the per-link model (hand-computed cases) and whole fixes from evidence
// synthesised with the model itself on the rubble site's geometry.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <functional>
#include <numbers>

#include "localizer.h"
#include "zone_shape.h"

namespace wdp::mat {
namespace {

TEST(MatLocalizer, WithoutSpreadTheLinkLikelihoodIsTheGaussianOfATonePower) {
  // ρ = 1: every carrier phase sees the mean, so the likelihood is N(E; μ, var) with
  // var = (2·μ·N + N²)/dof = (2·3·1 + 1)/10 = 0.7 (model error off):
  // log L = −0.5·(2 − 3)²/0.7 − 0.5·ln 0.7 = −0.535949 (the constant −0.5·ln 2π left out).
  LocalizerParams p;
  p.model_db = 0;
  EXPECT_NEAR(link_log_likelihood(2, 1, 10, 3, 1.0, p), -0.535949, 1e-5);
}

TEST(MatLocalizer, ALinkMaySeeMuchLessThanTheMeanButNotMoreThanTwice) {
  // ρ = 0: what is seen is 2·μ·cos²ψ, anywhere in [0, 2μ] (arcsine law), never above.
  LocalizerParams p;
  const double N = 1e-3, dof = 56, mu = 1.0;
  const double far_below = link_log_likelihood(0.05 * mu, N, dof, mu, 0.0, p);
  const double at_mean = link_log_likelihood(mu, N, dof, mu, 0.0, p);
  const double at_ceiling = link_log_likelihood(2 * mu, N, dof, mu, 0.0, p);
  const double far_above = link_log_likelihood(8 * mu, N, dof, mu, 0.0, p);
  EXPECT_GT(far_below, at_mean - 3);     // a 13 dB shortfall is about as likely as the mean
  EXPECT_GT(at_ceiling, at_mean - 3);    // so is the ceiling 2·μ
  EXPECT_LT(far_above, at_mean - 10);    // 6 dB above the ceiling is not (model error 2 dB)
}

struct Scene {
  Site site;
  v1::ScanZone zone;
  std::vector<ObservabilityTable> obs;  // per link: a line-of-sight static channel
  std::vector<int> pair;                // per link: its node pair (the same both ways)
};

Scene rubble() {
  Scene s;
  const P3 poles[4] = {{1.0, 1.0, 2.5}, {7.0, 1.5, 2.5}, {7.0, 7.0, 2.5}, {1.0, 7.0, 2.5}};
  for (int rx = 0; rx < 4; ++rx) {
    for (int tx = 0; tx < 4; ++tx) {
      if (tx == rx) continue;
      s.site.links.push_back({"esp32-" + std::to_string(rx + 1), static_cast<std::uint32_t>(tx + 1), poles[tx], poles[rx]});
      s.pair.push_back(4 * std::min(tx, rx) + std::max(tx, rx));
    }
  }
  s.site.debris.push_back({{2, 2, 0}, {6, 6, 2}, 2.0});
  s.zone.set_zone_id("z");
  s.zone.mutable_rectangle()->mutable_min()->set_x_m(2);
  s.zone.mutable_rectangle()->mutable_min()->set_y_m(2);
  s.zone.mutable_rectangle()->mutable_max()->set_x_m(6);
  s.zone.mutable_rectangle()->mutable_max()->set_y_m(6);
  for (const auto& l : s.site.links) {
    const double d0 = std::hypot(l.tx.x - l.rx.x, l.tx.y - l.rx.y, l.tx.z - l.rx.z);
    std::vector<std::complex<double>> ref;
    std::vector<double> idx;
    for (int k = -28; k <= 28; ++k) {
      if (k == 0) continue;
      ref.push_back(std::polar(1.0, -2 * std::numbers::pi * k * 312'500.0 * (d0 / 299'792'458.0 + 30e-9)));
      idx.push_back(k);
    }
    s.obs.push_back(observability_table(ref, idx, 8));
  }
  return s;
}

// Evidence as the model says a chest at p is seen, with carrier phase psi(pair) per node pair
// (the same for both directions), common scale 1 and noise 15 dB under the strongest link.
std::vector<LinkEvidence> evidence(const Scene& s, P3 p, const std::function<double(int)>& psi) {
  std::vector<LinkEvidence> out;
  std::vector<double> E;
  for (std::size_t i = 0; i < s.site.links.size(); ++i) {
    const auto& l = s.site.links[i];
    const double m = predicted_modulation(s.site, l, s.obs[i], p);
    const double excess = std::hypot(l.tx.x - p.x, l.tx.y - p.y, l.tx.z - p.z) + std::hypot(p.x - l.rx.x, p.y - l.rx.y, p.z - l.rx.z) -
                          std::hypot(l.tx.x - l.rx.x, l.tx.y - l.rx.y, l.tx.z - l.rx.z);
    const double rho = s.obs[i].spread_at(excess);
    const double c2 = std::pow(std::cos(psi(s.pair[i])), 2);
    E.push_back(m * m * (c2 + rho * (1 - c2)) * 2 / (1 + rho));
  }
  const double N = *std::max_element(E.begin(), E.end()) / std::pow(10.0, 1.5);
  for (std::size_t i = 0; i < E.size(); ++i) {
    LinkEvidence e;
    e.site_link = static_cast<int>(i);
    e.modulation = std::sqrt(E[i]);
    e.noise = std::sqrt(N);
    e.signal_power = E[i] + N;
    e.groups = 7;
    e.observability = s.obs[i];
    out.push_back(std::move(e));
  }
  return out;
}

// The same evidence with the tone covariance across groups that a chest at p gives: each
// direction sees T = √μ·(cos ψ·u + sin ψ·w) (u, w its observability shapes at p's excess length,
// ψ counted from its reference's phase line: the same both ways), ±f snapshots, noise N per group.
std::vector<LinkEvidence> coherent_evidence(const Scene& s, P3 p, const std::function<double(int)>& psi) {
  auto ev = evidence(s, p, psi);
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const auto& l = s.site.links[i];
    const auto& o = s.obs[i];
    const double excess = std::hypot(l.tx.x - p.x, l.tx.y - p.y, l.tx.z - p.z) + std::hypot(p.x - l.rx.x, p.y - l.rx.y, p.z - l.rx.z) -
                          std::hypot(l.tx.x - l.rx.x, l.tx.y - l.rx.y, l.tx.z - l.rx.z);
    const auto row = static_cast<std::size_t>(std::lround(excess / o.step_m));
    const std::size_t G = o.groups;
    const double amp = predicted_modulation(s.site, l, o, p) / o.at(excess), ps = psi(s.pair[i]);
    std::vector<std::complex<double>> T(G);
    for (std::size_t g = 0; g < G; ++g) T[g] = amp * (std::cos(ps) * o.u[row * G + g] + std::sin(ps) * o.w[row * G + g]);
    const double N = ev[i].noise * ev[i].noise;
    double sig = 0;
    ev[i].groups = G;
    ev[i].tone_cov.assign(G * G, 0);
    for (std::size_t a = 0; a < G; ++a) {
      for (std::size_t b = 0; b < G; ++b) ev[i].tone_cov[a * G + b] = 2.0 * T[a] * std::conj(T[b]) + (a == b ? N : 0.0);
      sig += 2 * std::norm(T[a]) / G;
    }
    ev[i].signal_power = sig + N;
    ev[i].modulation = std::sqrt(sig);
  }
  return ev;
}

// Carrier phases per node pair, spread over the half turn.
double spread_psi(int pair) { return (0.1 + 0.37 * pair) - std::numbers::pi * std::floor((0.1 + 0.37 * pair) / std::numbers::pi); }

TEST(MatLocalizer, MagnitudesAloneLeaveAWidePosteriorThatStillCoversTheSource) {
  // Per-link powers at exactly the mean model: each link says only "the chest is seen at most
  // twice this well", so the posterior is wide, but it holds the source.
  const auto s = rubble();
  LocalizerParams p;
  p.radius_scale = 1;
  for (const P3 truth : {P3{4.3, 3.6, 1.0}, P3{3.4, 4.6, 0.8}, P3{4.8, 4.9, 1.2}}) {
    const auto fix = localize(s.site, s.zone, evidence(s, truth, [](int) { return std::numbers::pi / 4; }), p);
    ASSERT_TRUE(fix);
    const double err = std::hypot(fix->x - truth.x, fix->y - truth.y);
    EXPECT_LE(err, fix->radius_m) << truth.x << "," << truth.y;
    EXPECT_GT(fix->radius_m, 1.0);
    EXPECT_GT(fix->inside, 0.5);
  }
}

TEST(MatLocalizer, ShapeAcrossSubcarriersLocalisesDespiteUnknownCarrierPhases) {
  // The same sources, carrier phases spread over the half turn, with the tone covariance: closer
  // and with about half the radius of magnitudes at the mean model (which favour them).
  const auto s = rubble();
  LocalizerParams p;
  p.radius_scale = 1;
  for (const P3 truth : {P3{4.3, 3.6, 1.0}, P3{3.4, 4.6, 0.8}, P3{4.8, 4.9, 1.2}}) {
    const auto fix = localize(s.site, s.zone, coherent_evidence(s, truth, spread_psi), p);
    const auto mag = localize(s.site, s.zone, evidence(s, truth, [](int) { return std::numbers::pi / 4; }), p);
    ASSERT_TRUE(fix && mag);
    const double err = std::hypot(fix->x - truth.x, fix->y - truth.y);
    EXPECT_LT(err, 0.45) << truth.x << "," << truth.y;
    EXPECT_LT(err, std::hypot(mag->x - truth.x, mag->y - truth.y) + 0.05) << truth.x << "," << truth.y;
    EXPECT_LE(err, fix->radius_m) << truth.x << "," << truth.y;
    EXPECT_LT(fix->radius_m, 0.65 * mag->radius_m) << truth.x << "," << truth.y;
    EXPECT_GT(fix->inside, 0.9);
  }
}

TEST(MatLocalizer, ALinkThatSeesTheChestWeaklyByItsCarrierPhaseDoesNotDragTheFix) {
  // One node pair at a carrier phase where it sees ~11 dB less than the mean: with symmetric
  // residuals in dB that reads as a chest far from that pair's links; the shape across groups
  // says it is partly the phase. (At ψ = 0 exactly, with only u left under the noise, nothing
  // says so and the fix moves away from that pair: such a phase is unlikely.)
  const auto s = rubble();
  const P3 truth{4.3, 3.6, 1.0};
  const auto base = localize(s.site, s.zone, coherent_evidence(s, truth, spread_psi));
  ASSERT_TRUE(base);
  for (double weak : {0.3, std::numbers::pi - 0.3}) {
    const auto fix = localize(s.site, s.zone, coherent_evidence(s, truth, [&](int pair) { return pair == s.pair[0] ? weak : spread_psi(pair); }));
    ASSERT_TRUE(fix);
    EXPECT_LT(std::hypot(fix->x - base->x, fix->y - base->y), 0.3) << weak;
  }
}

TEST(MatLocalizer, NoFixFromTooFewMeasuredLinks) {
  const auto s = rubble();
  auto ev = evidence(s, {4.3, 3.6, 1.0}, [](int) { return std::numbers::pi / 4; });
  for (std::size_t i = 2; i < ev.size(); ++i) ev[i].modulation = 0, ev[i].signal_power = ev[i].noise * ev[i].noise;
  EXPECT_FALSE(localize(s.site, s.zone, ev));  // 2 measured links < min_links
}

}  // namespace
}  // namespace wdp::mat

