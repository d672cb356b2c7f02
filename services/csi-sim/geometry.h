#pragma once
// 3-D points and vectors in the room frame (metres; x, y on the floor, z up) and the few
// operations the channel model needs: distances, mirror images across planes, box crossings.
#include <cmath>

namespace wdp::sim {

inline constexpr double kSpeedOfLight = 299'792'458.0;  // m/s
inline constexpr double kPi = 3.14159265358979323846;

struct Vec3 {
  double x = 0, y = 0, z = 0;
};

inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator*(Vec3 a, double s) { return {a.x * s, a.y * s, a.z * s}; }
inline Vec3 operator*(double s, Vec3 a) { return a * s; }
inline double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline double norm(Vec3 a) { return std::sqrt(dot(a, a)); }
inline double distance(Vec3 a, Vec3 b) { return norm(a - b); }
inline Vec3 lerp(Vec3 a, Vec3 b, double t) { return a + (b - a) * t; }
inline Vec3 normalized(Vec3 a) {
  const double n = norm(a);
  return n > 0 ? a * (1.0 / n) : a;
}

// An infinite plane through `point` with unit `normal`.
struct Plane {
  Vec3 point;
  Vec3 normal;
};

// Mirror image of p across the plane: the image-method source of a specular reflection.
inline Vec3 mirror(Vec3 p, const Plane& plane) {
  const double s = dot(p - plane.point, plane.normal);
  return p - plane.normal * (2.0 * s);
}

// Axis-aligned box.
struct Box {
  Vec3 min;
  Vec3 max;
};

// Length of the segment a→b that lies inside the box (slab method); 0 if it misses.
double length_inside(Vec3 a, Vec3 b, const Box& box);

}  // namespace wdp::sim
