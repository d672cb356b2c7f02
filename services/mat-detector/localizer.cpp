#include "localizer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <numbers>

#include "zone_shape.h"

namespace wdp::mat {
namespace {

double dist(P3 a, P3 b) { return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z)); }
bool same(P3 a, P3 b) { return dist(a, b) < 0.01; }

// One direction of a channel: the tone covariance projected on the shapes u, w per excess length.
struct Direction {
  std::vector<std::array<double, 6>> rows;  // per Δ row: uQu, wQw, Re uQw, |u|², |w|², Re uᴴw
  double n0 = 0, trq = 0;                    // noise power per group and snapshot; tr Q̂
  double groups = 0;
};

// One node pair: both directions see the same channel (and the same carrier phase ψ).
struct Channel {
  const SiteLink* link;
  const ObservabilityTable* obs;
  double E = 0, N = 0, dof = 0;
  bool measured = false;
  std::vector<Direction> dirs;
  // Log-likelihood over Δ (rows, linear interpolation) and x = 10·log10 μ (nearest).
  double d_step = 0.1, x_lo = 0, x_step = 0.5;
  std::size_t nd = 0, nx = 0;
  std::vector<float> table;
  static constexpr std::size_t rho_bins = 21;
  // row: the excess length (coherent) or √ρ·(rho_bins − 1) (magnitude only, d_step 1).
  double at(double excess, double x) const {
    const double v = std::clamp(excess / d_step, 0.0, static_cast<double>(nd - 1));
    const auto i = std::min(static_cast<std::size_t>(v), nd - 1);
    const double f = v - static_cast<double>(i);
    const auto k = static_cast<std::size_t>(std::lround(std::clamp((x - x_lo) / x_step, 0.0, static_cast<double>(nx - 1))));
    const double a = table[i * nx + k];
    return i + 1 < nd ? a + f * (table[(i + 1) * nx + k] - a) : a;
  }
};

double geometric_modulation(const Site& site, const SiteLink& l, P3 p) {
  const double d1 = dist(l.tx, p), d2 = dist(p, l.rx), d0 = dist(l.tx, l.rx);
  const double scatter = std::pow(10.0, -(site.loss_db(l.tx, p) + site.loss_db(p, l.rx)) / 20) / (d1 + d2);
  const double los = std::pow(10.0, -site.loss_db(l.tx, l.rx) / 20) / d0;
  const double g = std::abs((p.z - l.tx.z) / d1 + (p.z - l.rx.z) / d2);
  return scatter * std::max(g, 0.05) / los;
}

}  // namespace

double predicted_modulation(const Site& site, const SiteLink& l, const ObservabilityTable& obs, P3 p) {
  const double excess = dist(l.tx, p) + dist(p, l.rx) - dist(l.tx, l.rx);
  return geometric_modulation(site, l, p) * std::max(obs.at(excess), 1e-4);
}

namespace {

double coherent_log_likelihood(const std::array<double, 6>& r, double n0, double trq, double groups, double mu, double cs, double sn,
                               double K, double eta) {
  const double v2 = cs * cs * r[3] + sn * sn * r[4] + 2 * cs * sn * r[5];
  const double q = cs * cs * r[0] + sn * sn * r[1] + 2 * cs * sn * r[2];
  const double n = n0 + eta * mu * v2 / groups;
  return -K * (trq / n - mu * q / (n * (n + mu * v2)) + groups * std::log(n) + std::log1p(mu * v2 / n));
}

}  // namespace

double link_log_likelihood(double E, double N, double dof, double mu, double rho, const LocalizerParams& p) {
  const double kappa = p.model_db * std::numbers::ln10 / 10;
  const int steps = std::max(1, p.phase_steps);
  double sum = 0;
  for (int i = 0; i < steps; ++i) {
    const double psi = (i + 0.5) * (std::numbers::pi / 2) / steps;
    const double c2 = std::cos(psi) * std::cos(psi);
    const double m = mu * (c2 + rho * (1 - c2)) * 2 / (1 + rho);
    const double var = (2 * m * N + N * N) / dof + kappa * kappa * m * m;
    sum += std::exp(-0.5 * (E - m) * (E - m) / var) / std::sqrt(var);
  }
  return std::log(std::max(sum / steps, 1e-300));
}

namespace {

bool coherent_ok(const LinkEvidence& e) {
  const auto& o = e.observability;
  return e.groups > 0 && o.groups == e.groups && e.tone_cov.size() == e.groups * e.groups && o.u.size() == o.gain.size() * o.groups &&
         o.w.size() == o.u.size();
}

Direction direction(const LinkEvidence& e, double max_excess, double d_step) {
  Direction d;
  const std::size_t G = e.groups;
  d.groups = static_cast<double>(G);
  // Q̂ = the mean of the two tone snapshots (+f, −f); noise per group and snapshot N/2.
  d.n0 = 0.5 * e.noise * e.noise;
  for (std::size_t i = 0; i < G; ++i) d.trq += 0.5 * e.tone_cov[i * G + i].real();
  const auto& o = e.observability;
  std::vector<std::complex<double>> qu(G), qw(G);
  for (double ex = 0; ex <= max_excess + 1e-9; ex += d_step) {
    const auto row = std::min(static_cast<std::size_t>(std::lround(ex / o.step_m)), o.gain.size() - 1);
    const auto* u = &o.u[row * G];
    const auto* w = &o.w[row * G];
    for (std::size_t i = 0; i < G; ++i) {
      qu[i] = qw[i] = 0;
      for (std::size_t j = 0; j < G; ++j) qu[i] += 0.5 * e.tone_cov[i * G + j] * u[j], qw[i] += 0.5 * e.tone_cov[i * G + j] * w[j];
    }
    std::array<double, 6> r{};
    for (std::size_t i = 0; i < G; ++i) {
      r[0] += std::real(std::conj(u[i]) * qu[i]);
      r[1] += std::real(std::conj(w[i]) * qw[i]);
      r[2] += std::real(std::conj(u[i]) * qw[i]);
      r[3] += std::norm(u[i]);
      r[4] += std::norm(w[i]);
      r[5] += std::real(std::conj(u[i]) * w[i]);
    }
    d.rows.push_back(r);
  }
  return d;
}

// Largest excess length over the grid's box (the excess is convex: a corner's).
double max_excess(const SiteLink& l, double x0, double x1, double y0, double y1) {
  double m = 0;
  for (double x : {x0, x1}) {
    for (double y : {y0, y1}) {
      for (double z : {0.0, 2.5}) m = std::max(m, dist(l.tx, {x, y, z}) + dist({x, y, z}, l.rx) - dist(l.tx, l.rx));
    }
  }
  return m;
}

std::vector<Channel> channels(const Site& site, const std::vector<LinkEvidence>& links, const LocalizerParams& p, double box[4],
                              std::size_t& measured) {
  std::vector<Channel> ch;
  std::vector<int> members;
  measured = 0;
  bool coherent = p.coherent;
  for (const auto& e : links) coherent = coherent && coherent_ok(e);
  for (const auto& e : links) {
    if (e.site_link < 0 || e.site_link >= static_cast<int>(site.links.size()) || !(e.noise > 0)) continue;
    const auto* l = &site.links[e.site_link];
    const bool meas = e.modulation >= p.detect_ratio * e.noise;
    measured += meas;
    const double dof = 2.0 * static_cast<double>(std::max<std::size_t>(e.groups, 1)) * p.windows;
    auto it = std::find_if(ch.begin(), ch.end(), [&](const Channel& c) {
      return (same(c.link->tx, l->tx) && same(c.link->rx, l->rx)) || (same(c.link->tx, l->rx) && same(c.link->rx, l->tx));
    });
    const double E = e.signal_power - e.noise * e.noise, N = e.noise * e.noise;
    if (it == ch.end()) {
      ch.push_back({l, &e.observability, E, N, dof, meas});
      members.push_back(1);
      it = ch.end() - 1;
    } else {
      // Mean of the directions (the same ψ, independent noise); relative variances 1/dof add up
      // as those of a mean.
      const double k = members[it - ch.begin()]++;
      it->E = (it->E * k + E) / (k + 1), it->N = (it->N * k + N) / (k + 1);
      it->dof = (k + 1) * (k + 1) / (k * k / it->dof + 1 / dof);
      it->measured = it->measured || meas;
    }
    if (coherent) it->dirs.push_back(direction(e, max_excess(*l, box[0], box[1], box[2], box[3]) + 0.2, it->d_step));
  }
  const double K = 2 * p.windows;  // snapshots: the ±f tones of each independent window
  const int steps = std::max(1, p.phase_steps);
  for (auto& c : ch) {
    if (coherent) {
      // Rows: excess length; columns: x = 10·log10 μ, μ the path power per snapshot, around the
      // power the measurement implies (μ·v² ≈ E·groups/2 with v² ≈ groups·obs²).
      c.nd = c.dirs.front().rows.size();
      for (const auto& d : c.dirs) c.nd = std::min(c.nd, d.rows.size());
      double g2 = 0;
      for (std::size_t i = 0; i < c.nd; ++i) g2 = std::max(g2, 0.5 * (c.dirs[0].rows[i][3] + c.dirs[0].rows[i][4]));
      c.x_lo = 10 * std::log10(c.N * c.dirs[0].groups / (2 * std::max(g2, 1e-30))) - 30;
      c.nx = static_cast<std::size_t>(100 / c.x_step) + 1;
      c.table.assign(c.nd * c.nx, 0.0f);
      std::vector<double> acc(steps);
      for (std::size_t i = 0; i < c.nd; ++i) {
        for (std::size_t k = 0; k < c.nx; ++k) {
          const double mu = std::pow(10.0, (c.x_lo + static_cast<double>(k) * c.x_step) / 10);
          double lmax = -1e300;
          for (int t = 0; t < steps; ++t) {
            // ψ over [0, π): cos ψ·u + sin ψ·w covers every carrier phase up to the sign.
            const double psi = (t + 0.5) * std::numbers::pi / steps;
            double l = 0;
            for (const auto& d : c.dirs) {
              l += coherent_log_likelihood(d.rows[i], d.n0, d.trq, d.groups, mu, std::cos(psi), std::sin(psi), K, p.mismatch);
            }
            acc[t] = l;
            lmax = std::max(lmax, l);
          }
          double sum = 0;
          for (double l : acc) sum += std::exp(l - lmax);
          c.table[i * c.nx + k] = static_cast<float>(lmax + std::log(sum / steps));
        }
      }
    } else {
      c.nd = Channel::rho_bins;
      c.d_step = 1.0;
      c.x_step = 0.25;
      c.x_lo = 10 * std::log10(c.N) - 40;
      const double x_hi = 10 * std::log10(std::max(c.E, c.N)) + 40;
      c.nx = static_cast<std::size_t>((x_hi - c.x_lo) / c.x_step) + 1;
      c.table.resize(c.nd * c.nx);
      for (std::size_t k = 0; k < c.nd; ++k) {
        const double r = static_cast<double>(k) / (c.nd - 1);
        for (std::size_t i = 0; i < c.nx; ++i) {
          const double mu = std::pow(10.0, (c.x_lo + static_cast<double>(i) * c.x_step) / 10);
          c.table[k * c.nx + i] = static_cast<float>(link_log_likelihood(c.E, c.N, c.dof, mu, r * r, p));
        }
      }
    }
  }
  return ch;
}

// Log-likelihood of a chest at q, the common scale S marginalised (flat in dB) over a grid that
// holds its mass. `scratch` avoids allocations in the grid loop.
double point_log_likelihood(const Site& site, const std::vector<Channel>& ch, P3 q, const LocalizerParams& p,
                            std::vector<double>& scratch, double* best_scale_db = nullptr) {
  const std::size_t n = ch.size();
  scratch.resize(2 * n);
  double* pred = scratch.data();   // x at S = 0 dB
  double* row = scratch.data() + n; // table row coordinate
  double s0 = -1e300;
  for (std::size_t j = 0; j < n; ++j) {
    const auto& c = ch[j];
    const auto& l = *c.link;
    const double excess = dist(l.tx, q) + dist(q, l.rx) - dist(l.tx, l.rx);
    const double geo = 20 * std::log10(geometric_modulation(site, l, q));
    const double mean = geo + 20 * std::log10(std::max(c.obs->at(excess), 1e-4));
    // A measured link cannot see much more than the mean model: S ≳ E − M − 3 dB.
    if (c.measured && c.E > 0) s0 = std::max(s0, 10 * std::log10(c.E) - mean);
    if (c.dirs.empty()) {
      pred[j] = mean;
      row[j] = std::sqrt(std::clamp(c.obs->spread_at(excess), 0.0, 1.0)) * static_cast<double>(c.nd - 1);
    } else {
      pred[j] = geo - 3;  // μ ≈ E/(2·obs²): the same S grid fits both models
      row[j] = excess;
    }
  }
  if (s0 < -1e299) return -1e300;
  const int k_lo = static_cast<int>(std::floor(-10 / p.scale_step_db)), k_hi = static_cast<int>(std::ceil(30 / p.scale_step_db));
  double lmax = -1e300, sum = 0;
  for (int k = k_lo; k <= k_hi; ++k) {
    const double s = s0 + k * p.scale_step_db;
    double l = 0;
    for (std::size_t j = 0; j < n; ++j) l += ch[j].at(row[j], s + pred[j]);
    // Running log-sum-exp.
    if (l > lmax) {
      sum = sum * std::exp(lmax - l) + 1;
      lmax = l;
      if (best_scale_db) *best_scale_db = s;
    } else {
      sum += std::exp(l - lmax);
    }
  }
  return lmax + std::log(sum);
}

}  // namespace

namespace {

std::vector<Channel> zone_channels(const Site& site, const v1::ScanZone& zone, const std::vector<LinkEvidence>& links,
                                   const LocalizerParams& p, std::size_t& measured) {
  const auto b = zone_bounds(zone);
  double box[4] = {b.min_x - p.margin_m, b.max_x + p.margin_m, b.min_y - p.margin_m, b.max_y + p.margin_m};
  return channels(site, links, p, box, measured);
}

}  // namespace

std::vector<double> link_terms(const Site& site, const v1::ScanZone& zone, const std::vector<LinkEvidence>& links, P3 q,
                               const LocalizerParams& p) {
  std::size_t measured = 0;
  const auto ch = zone_channels(site, zone, links, p, measured);
  std::vector<double> scratch, out;
  double s = 0;
  out.push_back(point_log_likelihood(site, ch, q, p, scratch, &s));
  out.push_back(s);
  for (std::size_t j = 0; j < ch.size(); ++j) {
    out.push_back(ch[j].link - site.links.data());
    out.push_back(10 * std::log10(std::max(ch[j].E, 1e-30)));
    out.push_back(10 * std::log10(ch[j].N));
    out.push_back(scratch[j] + s);
    out.push_back(scratch[ch.size() + j]);
    out.push_back(ch[j].at(scratch[ch.size() + j], s + scratch[j]));
  }
  return out;
}

std::optional<Fix> localize(const Site& site, const v1::ScanZone& zone, const std::vector<LinkEvidence>& links,
                            const LocalizerParams& p) {
  std::size_t measured = 0;
  const auto ch = zone_channels(site, zone, links, p, measured);
  if (measured < p.min_links) return std::nullopt;
  const auto b = zone_bounds(zone);
  struct Cell {
    double x, y, z, logl;
    bool in_zone;
  };
  std::vector<Cell> cells;
  std::vector<double> scratch;
  for (double x = b.min_x - p.margin_m + p.grid_step_m / 2; x < b.max_x + p.margin_m; x += p.grid_step_m) {
    for (double y = b.min_y - p.margin_m + p.grid_step_m / 2; y < b.max_y + p.margin_m; y += p.grid_step_m) {
      const bool in_zone = zone_contains(zone, x, y);
      const double surface = site.surface_z(x, y);
      const double top = surface > 0 ? surface : 2.0;
      for (double z = p.z_step_m / 2; z < top; z += p.z_step_m) {
        cells.push_back({x, y, z, point_log_likelihood(site, ch, {x, y, z}, p, scratch), in_zone});
      }
    }
  }
  if (cells.empty()) return std::nullopt;
  const double lbest = std::max_element(cells.begin(), cells.end(), [](auto& a, auto& c) { return a.logl < c.logl; })->logl;
  double W = 0, mx = 0, my = 0, mz = 0, W_in = 0;
  const Cell* best_in = nullptr;
  std::vector<double> w(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    w[i] = std::exp(cells[i].logl - lbest);
    W += w[i];
    if (!cells[i].in_zone) continue;
    if (!best_in || cells[i].logl > best_in->logl) best_in = &cells[i];
    W_in += w[i], mx += w[i] * cells[i].x, my += w[i] * cells[i].y, mz += w[i] * cells[i].z;
  }
  Fix f;
  f.inside = W_in / W;
  f.links = measured;
  if (!(W_in > 0)) return f;
  W = W_in;  // the estimate and its radius are conditional on the zone
  f.x = mx / W, f.y = my / W, f.z = mz / W;
  if (p.map_estimate && best_in) f.x = best_in->x, f.y = best_in->y, f.z = best_in->z;
  f.depth_m = std::max(0.0, site.surface_z(f.x, f.y) - f.z);
  std::vector<std::pair<double, double>> rw;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].in_zone) rw.emplace_back(std::hypot(cells[i].x - f.x, cells[i].y - f.y), w[i]);
  }
  std::sort(rw.begin(), rw.end());
  double acc = 0, r90 = 0;
  for (auto [r, wi] : rw) {
    acc += wi;
    r90 = r;
    if (acc >= p.coverage * W) break;
  }
  f.radius_m = std::max({p.radius_scale * r90, p.min_radius_m, p.grid_step_m});
  return f;
}

}  // namespace wdp::mat
