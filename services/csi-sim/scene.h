#pragma once
// A scene: a room (walls for the image method), sensor nodes with TX/RX positions per link,
// static scatterers (furniture), scripted people, and for WiFi-Mat a rubble pile with buried
// survivors whose paths lose attenuation_db_per_m for every metre they travel through debris.
//
// Built-in scenes by name (scene_names()); load_scene_file() reads the same structure from JSON.
#include <cstdint>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "channel_model.h"
#include "motion.h"
#include "vitals.h"
#include "wdp/v1/mat.pb.h"

namespace wdp::sim {

struct Room {
  double width_m = 6.0;    // x
  double depth_m = 5.0;    // y
  double height_m = 2.8;   // z
  double wall_reflectivity = 0.35;
  double floor_reflectivity = 0.25;
  double ceiling_reflectivity = 0.2;
  bool walls = true;       // false: open site, only the floor (ground) reflects
};

struct LinkGeometry {
  std::uint32_t id = 0;
  Vec3 tx;
  Vec3 rx;
  Vec3 array_axis{0, 0, 1};  // direction along which MIMO antenna elements are spaced
};

struct SensorNode {
  std::string id;                 // bus node id, e.g. "esp32-1"
  std::uint8_t esp_node_id = 1;   // ADR-018 header byte; csi-ingest names the node esp32-<this>
  std::vector<LinkGeometry> links;
};

struct PersonSpec {
  std::uint32_t id = 1;
  MotionScript motion;
  VitalsParams vitals;
  BodyParams body;
};

struct RubbleVolume {
  Box box;
  double attenuation_db_per_m = 8.0;
};

struct SurvivorSpec {
  std::string id;
  Vec3 position;                  // floor point under the body (x, y) and the body's base height z
  double heading_rad = 0;
  double height_m = 1.7;
  double depth_m = 1.0;           // below the rubble surface (truth only)
  VitalsParams vitals;
  BodyParams body;
  v1::MovementClass movement = v1::MOVEMENT_CLASS_NONE;
  v1::TriageClass expected_triage = v1::TRIAGE_CLASS_IMMEDIATE;
};

struct Scene {
  std::string name;
  Room room;
  std::vector<SensorNode> nodes;
  std::vector<Scatterer> furniture;
  std::vector<PersonSpec> people;
  std::vector<RubbleVolume> rubble;
  std::vector<SurvivorSpec> survivors;
};

// Reflecting planes of the room: four walls (unless open), floor, ceiling (unless open).
std::vector<Wall> room_walls(const Room& room);
// Total debris loss (dB) along the polyline of a path.
double rubble_loss_db(const std::vector<RubbleVolume>& rubble, std::span<const Vec3> points);

// default: one person walks in, stands, sits and breathes; three ESP32 nodes around one AP.
// empty: the same room and nodes, nobody. multi: two people entering, gesturing, leaving, one
// falls. rubble: collapsed-structure pile (2 dB/m) with one buried breathing survivor, four nodes
// on poles in a full mesh (12 links; bus output only: ESP32 UDP frames carry no link id).
Scene make_scene(std::string_view name, std::uint64_t seed);
std::vector<std::string> scene_names();
// JSON scene description (see README.md); throws std::runtime_error with the reason.
Scene load_scene_file(const std::string& path, std::uint64_t seed);

}  // namespace wdp::sim
