// JSON scene files: the Scene structure of scene.h, field for field (see README.md).
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "scene.h"

namespace wdp::sim {
namespace {

using nlohmann::json;

Vec3 vec(const json& j) {
  if (!j.is_array() || j.size() < 2 || j.size() > 3) throw std::runtime_error("expected [x, y] or [x, y, z], got " + j.dump());
  return {j[0].get<double>(), j[1].get<double>(), j.size() == 3 ? j[2].get<double>() : 0.0};
}

Activity activity(const std::string& s) {
  for (auto a : {Activity::absent, Activity::walking, Activity::standing, Activity::sitting, Activity::fallen,
                 Activity::gesturing}) {
    if (s == activity_name(a)) return a;
  }
  throw std::runtime_error("unknown activity '" + s + "'");
}

VitalsParams vitals(const json& j) {
  VitalsParams v;
  v.breathing_bpm = j.value("breathing_bpm", v.breathing_bpm);
  v.breathing_depth_mm = j.value("breathing_depth_mm", v.breathing_depth_mm);
  v.irregularity = j.value("irregularity", v.irregularity);
  v.heart_bpm = j.value("heart_bpm", v.heart_bpm);
  v.heart_depth_mm = j.value("heart_depth_mm", v.heart_depth_mm);
  v.rate_change_bpm_per_min = j.value("rate_change_bpm_per_min", v.rate_change_bpm_per_min);
  v.stop_s = j.value("stop_s", v.stop_s);
  return v;
}

PersonSpec person(const json& j) {
  PersonSpec p;
  p.id = j.value("id", 1u);
  p.motion.start = vec(j.at("start"));
  p.motion.start_heading_rad = j.value("heading_deg", 0.0) * kPi / 180.0;
  p.motion.height_m = j.value("height_m", 1.75);
  if (j.contains("vitals")) p.vitals = vitals(j["vitals"]);
  for (const auto& s : j.value("steps", json::array())) {
    MotionStep m;
    m.activity = activity(s.at("activity").get<std::string>());
    m.duration_s = s.value("duration_s", 0.0);
    m.speed_m_s = s.value("speed_m_s", m.speed_m_s);
    m.transition_s = s.value("transition_s", m.transition_s);
    m.gesture_hz = s.value("gesture_hz", m.gesture_hz);
    for (const auto& w : s.value("waypoints", json::array())) m.waypoints.push_back(vec(w));
    p.motion.steps.push_back(std::move(m));
  }
  return p;
}

}  // namespace

Scene load_scene_file(const std::string& path, std::uint64_t seed) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open scene file " + path);
  try {
    const json j = json::parse(in);
    // A file may start from a built-in scene and override parts of it.
    Scene s = j.contains("base") ? make_scene(j["base"].get<std::string>(), seed) : Scene{};
    s.name = j.value("name", s.name.empty() ? std::string("custom") : s.name);
    if (j.contains("room")) {
      const auto& r = j["room"];
      s.room.width_m = r.value("width_m", s.room.width_m);
      s.room.depth_m = r.value("depth_m", s.room.depth_m);
      s.room.height_m = r.value("height_m", s.room.height_m);
      s.room.wall_reflectivity = r.value("wall_reflectivity", s.room.wall_reflectivity);
      s.room.floor_reflectivity = r.value("floor_reflectivity", s.room.floor_reflectivity);
      s.room.ceiling_reflectivity = r.value("ceiling_reflectivity", s.room.ceiling_reflectivity);
      s.room.walls = r.value("walls", s.room.walls);
    }
    if (j.contains("nodes")) {
      s.nodes.clear();
      for (const auto& n : j["nodes"]) {
        SensorNode node;
        node.esp_node_id = n.value("esp_node_id", static_cast<std::uint8_t>(s.nodes.size() + 1));
        node.id = n.value("id", "esp32-" + std::to_string(node.esp_node_id));
        for (const auto& l : n.at("links")) {
          node.links.push_back({l.value("id", 0u), vec(l.at("tx")), vec(l.at("rx")),
                                l.contains("array_axis") ? vec(l["array_axis"]) : Vec3{0, 0, 1}});
        }
        s.nodes.push_back(std::move(node));
      }
    }
    if (j.contains("furniture")) {
      s.furniture.clear();
      for (const auto& f : j["furniture"]) s.furniture.push_back({vec(f.at("position")), f.value("reflectivity", 0.2)});
    }
    if (j.contains("people")) {
      s.people.clear();
      for (const auto& p : j["people"]) s.people.push_back(person(p));
    }
    if (j.contains("rubble")) {
      s.rubble.clear();
      for (const auto& r : j["rubble"]) s.rubble.push_back({{vec(r.at("min")), vec(r.at("max"))}, r.value("attenuation_db_per_m", 8.0)});
    }
    if (j.contains("survivors")) {
      s.survivors.clear();
      for (const auto& v : j["survivors"]) {
        SurvivorSpec sv;
        sv.id = v.value("id", "survivor-" + std::to_string(s.survivors.size() + 1));
        sv.position = vec(v.at("position"));
        sv.heading_rad = v.value("heading_deg", 0.0) * kPi / 180.0;
        sv.depth_m = v.value("depth_m", sv.depth_m);
        if (v.contains("vitals")) sv.vitals = vitals(v["vitals"]);
        v1::MovementClass_Parse("MOVEMENT_CLASS_" + v.value("movement", std::string("NONE")), &sv.movement);
        v1::TriageClass_Parse("TRIAGE_CLASS_" + v.value("expected_triage", std::string("IMMEDIATE")), &sv.expected_triage);
        s.survivors.push_back(std::move(sv));
      }
    }
    if (s.nodes.empty()) throw std::runtime_error("no nodes");
    return s;
  } catch (const json::exception& e) {
    throw std::runtime_error("scene file " + path + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("scene file " + path + ": " + e.what());
  }
}

}  // namespace wdp::sim
