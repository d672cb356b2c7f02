#include "geometry.h"

#include <algorithm>

namespace wdp::sim {

double length_inside(Vec3 a, Vec3 b, const Box& box) {
  const Vec3 d = b - a;
  double t0 = 0.0, t1 = 1.0;
  const double o[3] = {a.x, a.y, a.z};
  const double v[3] = {d.x, d.y, d.z};
  const double lo[3] = {box.min.x, box.min.y, box.min.z};
  const double hi[3] = {box.max.x, box.max.y, box.max.z};
  for (int i = 0; i < 3; ++i) {
    if (v[i] == 0.0) {
      if (o[i] < lo[i] || o[i] > hi[i]) return 0.0;
      continue;
    }
    double ta = (lo[i] - o[i]) / v[i];
    double tb = (hi[i] - o[i]) / v[i];
    if (ta > tb) std::swap(ta, tb);
    t0 = std::max(t0, ta);
    t1 = std::min(t1, tb);
    if (t0 >= t1) return 0.0;
  }
  return (t1 - t0) * norm(d);
}

}  // namespace wdp::sim
