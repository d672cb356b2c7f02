#include "predictions_io.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace wdp::pose {
namespace {

constexpr const char* kSchema = "wdp-pose-predictions/1";

[[noreturn]] void fail(const std::filesystem::path& p, const std::string& why) {
  throw std::runtime_error(p.string() + ": " + why);
}

}  // namespace

void write_predictions(const std::filesystem::path& path, const PredictionsFile& f) {
  nlohmann::json frames = nlohmann::json::array();
  for (const auto& fr : f.frames) {
    nlohmann::json persons = nlohmann::json::array();
    for (const auto& p : fr.persons) {
      nlohmann::json kps = nlohmann::json::array();
      for (const auto& k : p.keypoints) kps.push_back({k[0], k[1], k[2], k[3]});
      persons.push_back({{"track_id", p.track_id}, {"score", p.score}, {"keypoints", std::move(kps)}});
    }
    nlohmann::json j = {{"index", fr.index}, {"t", fr.t}, {"persons", std::move(persons)}};
    if (!fr.node.empty()) j["node"] = fr.node;
    if (fr.latency_ms >= 0) j["latency_ms"] = fr.latency_ms;
    frames.push_back(std::move(j));
  }
  nlohmann::json doc = {{"schema", kSchema}, {"kind", f.kind}, {"coordinate_frame", f.coordinate_frame},
                        {"frames", std::move(frames)}};
  if (!f.model_version.empty()) doc["model_version"] = f.model_version;
  if (!f.source.empty()) doc["source"] = f.source;
  std::ofstream out(path);
  if (!out) fail(path, "cannot write");
  out << doc.dump() << '\n';
  if (!out) fail(path, "write failed");
}

PredictionsFile read_predictions(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    fail(path, std::string("not JSON: ") + e.what());
  }
  if (!doc.is_object() || doc.value("schema", "") != kSchema) fail(path, std::string("schema must be ") + kSchema);
  PredictionsFile f;
  f.kind = doc.value("kind", "");
  if (f.kind != "predictions" && f.kind != "truth") fail(path, "kind must be predictions or truth");
  f.coordinate_frame = doc.value("coordinate_frame", "");
  f.model_version = doc.value("model_version", "");
  f.source = doc.value("source", "");
  if (!doc.contains("frames") || !doc["frames"].is_array()) fail(path, "frames must be an array");
  for (const auto& jf : doc["frames"]) {
    FrameRecord fr;
    if (!jf.contains("index") || !jf["index"].is_number_unsigned()) fail(path, "frame without a non-negative index");
    fr.index = jf["index"].get<std::uint64_t>();
    fr.t = jf.value("t", 0.0);
    fr.node = jf.value("node", "");
    fr.latency_ms = jf.value("latency_ms", -1.0);
    if (!jf.contains("persons") || !jf["persons"].is_array()) fail(path, "frame " + std::to_string(fr.index) + ": persons must be an array");
    for (const auto& jp : jf["persons"]) {
      PersonRecord p;
      p.track_id = jp.value("track_id", 0u);
      p.score = jp.value("score", 0.0);
      const auto& k = jp.at("keypoints");
      if (!k.is_array() || k.size() != 17) fail(path, "frame " + std::to_string(fr.index) + ": a person needs 17 keypoints");
      for (std::size_t j = 0; j < 17; ++j) {
        if (!k[j].is_array() || k[j].size() != 4) fail(path, "frame " + std::to_string(fr.index) + ": keypoint is not [x,y,z,c]");
        for (std::size_t c = 0; c < 4; ++c) p.keypoints[j][c] = k[j][c].get<float>();
      }
      fr.persons.push_back(p);
    }
    f.frames.push_back(std::move(fr));
  }
  return f;
}

}  // namespace wdp::pose
