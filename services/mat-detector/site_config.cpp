#include "site_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace wdp::mat {
namespace {

using nlohmann::json;

P3 p3(const json& j, const char* what) {
  if (!j.is_array() || j.size() != 3) throw std::runtime_error(std::string(what) + " must be [x, y, z]");
  return {j[0].get<double>(), j[1].get<double>(), j[2].get<double>()};
}

void p2(const json& j, v1::Point2* out, const char* what) {
  if (!j.is_array() || j.size() != 2) throw std::runtime_error(std::string(what) + " must be [x, y]");
  out->set_x_m(j[0].get<double>());
  out->set_y_m(j[1].get<double>());
}

}  // namespace

SiteConfig parse_site_config(const std::string& text) {
  SiteConfig c;
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("invalid JSON: ") + e.what());
  }
  try {
    for (const auto& l : j.value("links", json::array())) {
      c.site.links.push_back({l.at("node").get<std::string>(), l.value("link", 0u), p3(l.at("tx"), "tx"), p3(l.at("rx"), "rx")});
    }
    for (const auto& d : j.value("debris", json::array())) {
      c.site.debris.push_back({p3(d.at("min"), "debris min"), p3(d.at("max"), "debris max"), d.value("attenuation_db_per_m", 8.0)});
    }
    c.site.carrier_hz = j.value("carrier_hz", c.site.carrier_hz);
    for (const auto& e : j.value("events", json::array())) {
      v1::DisasterEvent ev;
      ev.set_event_id(e.at("event_id").get<std::string>());
      ev.set_name(e.value("name", ev.event_id()));
      ev.set_kind(e.value("kind", "unknown"));
      c.events.push_back(ev);
    }
    for (const auto& zj : j.value("zones", json::array())) {
      v1::ScanZone z;
      z.set_zone_id(zj.at("zone_id").get<std::string>());
      z.set_event_id(zj.at("event_id").get<std::string>());
      z.set_name(zj.value("name", z.zone_id()));
      if (zj.contains("rectangle")) {
        p2(zj["rectangle"].at("min"), z.mutable_rectangle()->mutable_min(), "rectangle min");
        p2(zj["rectangle"].at("max"), z.mutable_rectangle()->mutable_max(), "rectangle max");
      } else if (zj.contains("circle")) {
        p2(zj["circle"].at("center"), z.mutable_circle()->mutable_center(), "circle center");
        z.mutable_circle()->set_radius_m(zj["circle"].at("radius_m").get<double>());
      } else if (zj.contains("polygon")) {
        for (const auto& v : zj["polygon"]) p2(v, z.mutable_polygon()->add_vertices(), "polygon vertex");
      }
      for (const auto& n : zj.value("node_ids", json::array())) z.add_node_ids(n.get<std::string>());
      c.zones.push_back(z);
    }
  } catch (const json::exception& e) {
    throw std::runtime_error(e.what());
  }
  return c;
}

SiteConfig load_site_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read site file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return parse_site_config(ss.str());
  } catch (const std::exception& e) {
    throw std::runtime_error("site file '" + path + "': " + e.what());
  }
}

}  // namespace wdp::mat
