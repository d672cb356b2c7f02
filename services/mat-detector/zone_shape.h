#pragma once
// Scan-zone geometry: rectangle, circle or polygon in the site frame (metres).
// Polygon containment by ray casting (a point on the boundary counts as inside for rectangles and
// circles; for polygons the half-open edge rule decides), area by the shoelace formula.
#include <string>

#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

bool zone_contains(const v1::ScanZone& zone, double x, double y);
double zone_area_m2(const v1::ScanZone& zone);
// Empty string when the shape is usable; otherwise why not (no shape, min > max, radius <= 0,
// fewer than 3 vertices, zero area).
std::string zone_shape_error(const v1::ScanZone& zone);
// Axis-aligned bounding box {min_x, min_y, max_x, max_y}.
struct Bounds {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};
Bounds zone_bounds(const v1::ScanZone& zone);

}  // namespace wdp::mat
