// Physics of single paths: exact bistatic phase rotation per subcarrier, image-method wall paths,
// debris crossing lengths.
#include "channel_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "radio_profile.h"
#include "scene.h"

namespace wdp::sim {
namespace {

double wrap(double a) { return std::remainder(a, 2 * kPi); }

// Moving a scatterer by any displacement rotates its path's phase by −2π·Δd/λ at every bin,
// where Δd is the exact change of |TX − P| + |P − RX|, and scales the amplitude by d1/d2.
TEST(ChannelModel, MovingScattererRotatesPhaseByBistaticPathChangeAtEveryBin) {
  const Vec3 tx{0.3, 0.3, 2.2}, rx{5.7, 4.4, 1.0};
  const Scatterer a{{2.1, 2.6, 1.2}, 0.5};
  const Scatterer b{{2.1 + 0.0123, 2.6 - 0.0311, 1.2 + 0.0047}, 0.5};
  const double d1 = bistatic_length(tx, a.position, rx), d2 = bistatic_length(tx, b.position, rx);
  const double dd = d2 - d1;
  double worst = 0;
  std::size_t bins = 0;
  for (const auto& name : radio_profile_names()) {
    const auto p = make_radio_profile(name);
    for (std::size_t i = 0; i < p.n_bins(); ++i) {
      const double f = p.bin_freq_hz(i);
      const auto h1 = path_response(scatter_path(tx, a, rx), f);
      const auto h2 = path_response(scatter_path(tx, b, rx), f);
      const double measured = std::arg(h2 / h1);
      const double expected = wrap(-2 * kPi * f * dd / kSpeedOfLight);
      worst = std::max(worst, std::abs(wrap(measured - expected)));
      EXPECT_NEAR(std::abs(h2) / std::abs(h1), d1 / d2, 1e-12);
      ++bins;
    }
  }
  EXPECT_LT(worst, 1e-9) << "over " << bins << " bins";
  RecordProperty("max_phase_error_rad", std::to_string(worst));
  std::printf("bistatic rotation: %zu bins, delta d = %.6f m, max phase error %.3g rad\n", bins, dd, worst);
}

TEST(ChannelModel, PathPhaseIsMinusTwoPiFdOverC) {
  const Path p{7.25, 1.0};
  for (double f : {2.412e9, 2.437e9, 5.18e9, 5.8e9}) {
    const auto h = path_response(p, f);
    EXPECT_NEAR(wrap(std::arg(h) + 2 * kPi * f * p.length_m / kSpeedOfLight), 0.0, 1e-9);
    EXPECT_NEAR(std::abs(h), kSpeedOfLight / f / (4 * kPi * p.length_m), 1e-15);
  }
}

// The image-method length equals |TX − R| + |R − RX| through the specular point R on the wall,
// and the mirrored transmitter of each room surface is the obvious coordinate flip.
TEST(ChannelModel, WallImagePathLengthEqualsMirroredGeometry) {
  const Room room;
  const Vec3 tx{0.7, 1.3, 2.0}, rx{4.6, 3.9, 0.9};
  const auto walls = room_walls(room);
  ASSERT_EQ(walls.size(), 6u);
  const Vec3 images[6] = {{-tx.x, tx.y, tx.z},
                          {2 * room.width_m - tx.x, tx.y, tx.z},
                          {tx.x, -tx.y, tx.z},
                          {tx.x, 2 * room.depth_m - tx.y, tx.z},
                          {tx.x, tx.y, 2 * room.height_m - tx.z},
                          {tx.x, tx.y, -tx.z}};
  for (std::size_t i = 0; i < walls.size(); ++i) {
    const Path p = wall_path(tx, walls[i], rx);
    EXPECT_NEAR(p.length_m, distance(images[i], rx), 1e-12) << "wall " << i;
    EXPECT_DOUBLE_EQ(p.gain, walls[i].reflectivity);
    // Specular point: where the image ray crosses the plane; angle in = angle out.
    const Vec3 m = mirror(tx, walls[i].plane);
    const Vec3 n = walls[i].plane.normal;
    const Vec3 r = m + (rx - m) * (dot(walls[i].plane.point - m, n) / dot(rx - m, n));
    EXPECT_NEAR(distance(tx, r) + distance(r, rx), p.length_m, 1e-12);
    EXPECT_NEAR(dot(normalized(tx - r), n), dot(normalized(rx - r), n), 1e-12);
  }
}

// The stepped-phasor grid evaluation agrees with the direct per-bin formula.
TEST(ChannelModel, GridEvaluationMatchesDirectSum) {
  std::vector<Path> paths{{4.1, 1.0}, {7.93, 0.3}, {12.377, 0.12}, {23.0001, 0.05}};
  for (const auto& name : radio_profile_names()) {
    const auto p = make_radio_profile(name);
    std::vector<double> f;
    for (std::size_t i = 0; i < p.n_bins(); ++i) f.push_back(p.bin_freq_hz(i));
    std::vector<std::complex<double>> direct(f.size()), grid(f.size());
    accumulate(paths, f, direct);
    accumulate_grid(paths, p.grid_center_mhz * 1e6, p.spacing_hz, p.index, grid);
    for (std::size_t i = 0; i < f.size(); ++i) {
      EXPECT_LT(std::abs(grid[i] - direct[i]), 1e-12 * std::abs(direct[i]) + 1e-15) << name << " bin " << i;
    }
  }
}

TEST(Geometry, LengthInsideBox) {
  const Box b{{0, 0, 0}, {2, 2, 2}};
  EXPECT_NEAR(length_inside({-1, 1, 1}, {3, 1, 1}, b), 2.0, 1e-12);
  EXPECT_NEAR(length_inside({1, 1, 1}, {1, 1, 5}, b), 1.0, 1e-12);
  EXPECT_NEAR(length_inside({-1, -1, -1}, {3, 3, 3}, b), 2 * std::sqrt(3.0), 1e-12);
  EXPECT_EQ(length_inside({3, 3, 3}, {4, 4, 4}, b), 0.0);
  EXPECT_NEAR(length_inside({0.5, 0.5, 0.5}, {1.5, 1.0, 0.5}, b), std::hypot(1.0, 0.5), 1e-12);
}

}  // namespace
}  // namespace wdp::sim
