#pragma once
// Predictions / ground-truth JSON files (schemas/predictions.schema.json), written by pose-infer
// and read by pose-eval. Reading checks the structure and throws std::runtime_error with the
// path and the reason.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace wdp::pose {

struct PersonRecord {
  std::uint32_t track_id = 0;
  double score = 0;
  std::array<std::array<float, 4>, 17> keypoints{};  // x, y, z, confidence (or visibility)
};

struct FrameRecord {
  std::uint64_t index = 0;
  double t = 0;
  std::string node;
  double latency_ms = -1;  // < 0: not written
  std::vector<PersonRecord> persons;
};

struct PredictionsFile {
  std::string kind = "predictions";  // or "truth"
  std::string model_version;
  std::string source;
  std::string coordinate_frame = "body";
  std::vector<FrameRecord> frames;
};

void write_predictions(const std::filesystem::path& path, const PredictionsFile& file);
PredictionsFile read_predictions(const std::filesystem::path& path);

}  // namespace wdp::pose
