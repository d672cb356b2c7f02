#include "site.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wdp::mat {

std::vector<double> Site::ht20_offsets() {
  std::vector<double> f;
  for (int k = -28; k <= 28; ++k) {
    if (k != 0) f.push_back(k * 312'500.0);
  }
  return f;
}

int Site::find(const std::string& node, std::uint32_t link) const {
  for (std::size_t i = 0; i < links.size(); ++i) {
    if (links[i].node == node && links[i].link == link) return static_cast<int>(i);
  }
  return -1;
}

double segment_inside_box(P3 a, P3 b, const DebrisBox& box) {
  // Slab method on the parameter t ∈ [0, 1] of a + t(b − a).
  double t0 = 0, t1 = 1;
  const double A[3] = {a.x, a.y, a.z}, B[3] = {b.x, b.y, b.z};
  const double lo[3] = {box.min.x, box.min.y, box.min.z}, hi[3] = {box.max.x, box.max.y, box.max.z};
  for (int i = 0; i < 3; ++i) {
    const double d = B[i] - A[i];
    if (std::abs(d) < 1e-15) {
      if (A[i] < lo[i] || A[i] > hi[i]) return 0;
      continue;
    }
    double u0 = (lo[i] - A[i]) / d, u1 = (hi[i] - A[i]) / d;
    if (u0 > u1) std::swap(u0, u1);
    t0 = std::max(t0, u0);
    t1 = std::min(t1, u1);
    if (t0 >= t1) return 0;
  }
  return (t1 - t0) * std::sqrt((B[0] - A[0]) * (B[0] - A[0]) + (B[1] - A[1]) * (B[1] - A[1]) + (B[2] - A[2]) * (B[2] - A[2]));
}

double Site::loss_db(P3 a, P3 b) const {
  double l = 0;
  for (const auto& d : debris) l += d.attenuation_db_per_m * segment_inside_box(a, b, d);
  return l;
}

double Site::surface_z(double x, double y) const {
  double z = 0;
  for (const auto& d : debris) {
    if (x >= d.min.x && x <= d.max.x && y >= d.min.y && y <= d.max.y) z = std::max(z, d.max.z);
  }
  return z;
}

}  // namespace wdp::mat
