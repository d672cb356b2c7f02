#include "json_codec.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include "wdp/v1/sensing.pb.h"

namespace wdp::gateway {

std::string to_json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  o.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out;
}

std::string from_json(std::string_view json, google::protobuf::Message& m) {
  google::protobuf::util::JsonParseOptions o;
  o.ignore_unknown_fields = false;
  const auto st = google::protobuf::util::JsonStringToMessage(std::string(json), &m, o);
  return st.ok() ? std::string() : std::string(st.message());
}

namespace {
const char* motion_level(v1::MotionState s) {
  switch (s) {
    case v1::MOTION_STATE_PRESENT_STILL: return "present_still";
    case v1::MOTION_STATE_ACTIVE: return "active";
    default: return "absent";
  }
}
}  // namespace

std::string ruview_sensing_update(const v1::SensingUpdate& u, std::string_view source) {
  nlohmann::json j;
  const auto t = u.origin().capture_time_ns() ? u.origin().capture_time_ns() : u.origin().publish_time_ns();
  j["type"] = "sensing_update";
  j["timestamp"] = static_cast<double>(t) / 1e9;
  j["source"] = source;
  j["tick"] = u.origin().sequence();
  nlohmann::json node;
  node["node_id"] = u.origin().node_id();
  node["amplitude"] = std::vector<float>(u.amplitude().begin(), u.amplitude().end());
  node["subcarrier_count"] = u.amplitude_size();
  j["nodes"] = nlohmann::json::array({node});
  j["features"] = {{"motion_level", u.motion()}};
  j["classification"] = {{"motion_level", motion_level(u.motion_state())},
                         {"presence", u.presence()},
                         {"confidence", u.presence_confidence()}};
  nlohmann::json vitals;
  if (u.breathing().valid()) vitals["breathing_rate_bpm"] = u.breathing().rate_per_min();
  if (u.heart().valid()) vitals["heart_rate_bpm"] = u.heart().rate_per_min();
  vitals["breathing_confidence"] = u.breathing().confidence();
  vitals["heartbeat_confidence"] = u.heart().confidence();
  j["vital_signs"] = vitals;
  if (u.person_count() > 0) j["estimated_persons"] = u.person_count();
  return j.dump();
}

}  // namespace wdp::gateway
