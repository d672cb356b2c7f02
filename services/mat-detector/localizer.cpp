#include "localizer.h"

#include <algorithm>
#include <cmath>

#include "zone_shape.h"

namespace wdp::mat {
namespace {

double dist(P3 a, P3 b) { return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z)); }

}  // namespace

double predicted_modulation(const Site& site, const SiteLink& l, const ObservabilityTable& obs, P3 p) {
  const double d1 = dist(l.tx, p), d2 = dist(p, l.rx), d0 = dist(l.tx, l.rx);
  const double scatter = std::pow(10.0, -(site.loss_db(l.tx, p) + site.loss_db(p, l.rx)) / 20) / (d1 + d2);
  const double los = std::pow(10.0, -site.loss_db(l.tx, l.rx) / 20) / d0;
  const double g = std::abs((p.z - l.tx.z) / d1 + (p.z - l.rx.z) / d2);
  return scatter * std::max(g, 0.05) * std::max(obs.at(d1 + d2 - d0), 1e-4) / los;
}

std::optional<Fix> localize(const Site& site, const v1::ScanZone& zone, const std::vector<LinkEvidence>& links,
                            const LocalizerParams& p) {
  struct Meas {
    const SiteLink* link;
    const ObservabilityTable* obs;
    double db;      // observed, or the upper bound
    double var;
    bool bound;
  };
  std::vector<Meas> m;
  std::size_t measured = 0;
  for (const auto& e : links) {
    if (e.site_link < 0 || e.site_link >= static_cast<int>(site.links.size()) || !(e.noise > 0)) continue;
    const auto* l = &site.links[e.site_link];
    if (e.modulation >= p.detect_ratio * e.noise) {
      const double rel = 8.686 * e.noise / e.modulation;
      m.push_back({l, &e.observability, 20 * std::log10(e.modulation), p.sigma_db * p.sigma_db + rel * rel, false});
      ++measured;
    } else {
      m.push_back({l, &e.observability, 20 * std::log10(p.detect_ratio * e.noise), p.sigma_db * p.sigma_db, true});
    }
  }
  if (measured < p.min_links) return std::nullopt;
  const auto b = zone_bounds(zone);
  struct Cell {
    double x, y, z, cost;
    bool in_zone;
  };
  std::vector<Cell> cells;
  std::vector<double> pred(m.size());
  for (double x = b.min_x - p.margin_m + p.grid_step_m / 2; x < b.max_x + p.margin_m; x += p.grid_step_m) {
    for (double y = b.min_y - p.margin_m + p.grid_step_m / 2; y < b.max_y + p.margin_m; y += p.grid_step_m) {
      const bool in_zone = zone_contains(zone, x, y);
      const double surface = site.surface_z(x, y);
      const double top = surface > 0 ? surface : 2.0;
      for (double z = p.z_step_m / 2; z < top; z += p.z_step_m) {
        double sw = 0, swr = 0;
        for (std::size_t i = 0; i < m.size(); ++i) {
          pred[i] = 20 * std::log10(predicted_modulation(site, *m[i].link, *m[i].obs, {x, y, z}));
          if (!m[i].bound) sw += 1 / m[i].var, swr += (m[i].db - pred[i]) / m[i].var;
        }
        const double s = swr / sw;  // fitted common scale (dB)
        double cost = 0;
        for (std::size_t i = 0; i < m.size(); ++i) {
          const double r = m[i].db - (pred[i] + s);
          // Heavy-tailed (Cauchy) residuals: one link the model gets wrong (multipath it does
          // not know) costs a bounded amount instead of dragging the fix away.
          if (!m[i].bound || r < 0) cost += 2 * std::log1p(r * r / (2 * m[i].var));
        }
        cells.push_back({x, y, z, cost, in_zone});
      }
    }
  }
  if (cells.empty()) return std::nullopt;
  const double cmin = std::min_element(cells.begin(), cells.end(), [](auto& a, auto& c) { return a.cost < c.cost; })->cost;
  double W = 0, mx = 0, my = 0, mz = 0, W_in = 0;
  std::vector<double> w(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    w[i] = std::exp(-0.5 * (cells[i].cost - cmin));
    W += w[i];
    if (!cells[i].in_zone) continue;
    W_in += w[i], mx += w[i] * cells[i].x, my += w[i] * cells[i].y, mz += w[i] * cells[i].z;
  }
  Fix f;
  f.inside = W_in / W;
  if (!(W_in > 0)) {
    f.links = measured;
    return f;
  }
  W = W_in;  // the estimate and its radius are conditional on the zone
  f.x = mx / W, f.y = my / W, f.z = mz / W;
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
  f.links = measured;
  return f;
}

}  // namespace wdp::mat
