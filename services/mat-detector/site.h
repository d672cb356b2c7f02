#pragma once
// Where the sensors are and what lies between them: each link's TX and RX positions (site frame,
// metres, z up) and the debris volumes with their attenuation. Localization needs it; zones name
// nodes, the site says where those nodes' links are.
#include <cstdint>
#include <string>
#include <vector>

namespace wdp::mat {

struct P3 {
  double x = 0, y = 0, z = 0;
};

struct SiteLink {
  std::string node;
  std::uint32_t link = 0;
  P3 tx, rx;
};

struct DebrisBox {
  P3 min, max;
  double attenuation_db_per_m = 8.0;
};

struct Site {
  std::vector<SiteLink> links;
  std::vector<DebrisBox> debris;
  double carrier_hz = 2.437e9;
  // Subcarrier offsets from the carrier that the links measure (HT20: ±1..28 × 312.5 kHz).
  std::vector<double> subcarrier_offsets_hz = ht20_offsets();
  static std::vector<double> ht20_offsets();
  // Index into links, or -1.
  int find(const std::string& node, std::uint32_t link) const;
  // Debris loss (dB) along a straight segment.
  double loss_db(P3 a, P3 b) const;
  // Top of the debris above (x, y) (0 when outside every volume): depth = surface − z.
  double surface_z(double x, double y) const;
};

double segment_inside_box(P3 a, P3 b, const DebrisBox& box);

}  // namespace wdp::mat
