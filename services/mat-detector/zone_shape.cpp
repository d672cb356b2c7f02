#include "zone_shape.h"

#include <algorithm>
#include <cmath>

namespace wdp::mat {

bool zone_contains(const v1::ScanZone& z, double x, double y) {
  switch (z.shape_case()) {
    case v1::ScanZone::kRectangle: {
      const auto& r = z.rectangle();
      return x >= r.min().x_m() && x <= r.max().x_m() && y >= r.min().y_m() && y <= r.max().y_m();
    }
    case v1::ScanZone::kCircle: {
      const auto& c = z.circle();
      return std::hypot(x - c.center().x_m(), y - c.center().y_m()) <= c.radius_m();
    }
    case v1::ScanZone::kPolygon: {
      const auto& v = z.polygon().vertices();
      bool inside = false;
      for (int i = 0, j = v.size() - 1; i < v.size(); j = i++) {
        const double xi = v[i].x_m(), yi = v[i].y_m(), xj = v[j].x_m(), yj = v[j].y_m();
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }
    default:
      return false;
  }
}

double zone_area_m2(const v1::ScanZone& z) {
  switch (z.shape_case()) {
    case v1::ScanZone::kRectangle: {
      const auto& r = z.rectangle();
      return std::max(0.0, r.max().x_m() - r.min().x_m()) * std::max(0.0, r.max().y_m() - r.min().y_m());
    }
    case v1::ScanZone::kCircle:
      return 3.14159265358979323846 * z.circle().radius_m() * z.circle().radius_m();
    case v1::ScanZone::kPolygon: {
      const auto& v = z.polygon().vertices();
      double s = 0;
      for (int i = 0, j = v.size() - 1; i < v.size(); j = i++) s += v[j].x_m() * v[i].y_m() - v[i].x_m() * v[j].y_m();
      return std::abs(s) / 2;
    }
    default:
      return 0;
  }
}

std::string zone_shape_error(const v1::ScanZone& z) {
  switch (z.shape_case()) {
    case v1::ScanZone::kRectangle: {
      const auto& r = z.rectangle();
      if (!(r.min().x_m() < r.max().x_m() && r.min().y_m() < r.max().y_m())) return "rectangle needs min < max on both axes";
      return {};
    }
    case v1::ScanZone::kCircle:
      if (!(z.circle().radius_m() > 0)) return "circle radius must be > 0";
      return {};
    case v1::ScanZone::kPolygon:
      if (z.polygon().vertices_size() < 3) return "polygon needs at least 3 vertices";
      if (!(zone_area_m2(z) > 0)) return "polygon has zero area";
      return {};
    default:
      return "zone has no shape (rectangle, circle or polygon)";
  }
}

Bounds zone_bounds(const v1::ScanZone& z) {
  switch (z.shape_case()) {
    case v1::ScanZone::kRectangle: {
      const auto& r = z.rectangle();
      return {r.min().x_m(), r.min().y_m(), r.max().x_m(), r.max().y_m()};
    }
    case v1::ScanZone::kCircle: {
      const auto& c = z.circle();
      return {c.center().x_m() - c.radius_m(), c.center().y_m() - c.radius_m(), c.center().x_m() + c.radius_m(),
              c.center().y_m() + c.radius_m()};
    }
    case v1::ScanZone::kPolygon: {
      Bounds b{1e300, 1e300, -1e300, -1e300};
      for (const auto& p : z.polygon().vertices()) {
        b.min_x = std::min(b.min_x, p.x_m());
        b.min_y = std::min(b.min_y, p.y_m());
        b.max_x = std::max(b.max_x, p.x_m());
        b.max_y = std::max(b.max_y, p.y_m());
      }
      return b;
    }
    default:
      return {};
  }
}

}  // namespace wdp::mat
