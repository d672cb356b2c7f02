#pragma once
// The model contract (docs/model-contract.md) as read from the ONNX metadata key "wdp.contract":
// input window shape and per-channel normalization, output persons and coordinate frame, version.
#include <array>
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace wdp::pose {

struct ModelContract {
  std::string contract;          // "wdp-pose/1"
  std::string model_version;
  std::string input_name = "window";
  std::size_t frames = 0, links = 0, bins = 56, channels = 2;
  double sample_rate_hz = 20;
  std::array<float, 2> mean{0, 0}, std{1, 1};
  float clip = 8;
  bool temporal_demean = false;  // subtract each feature's mean over the T frames first
  std::size_t persons = 1;
  std::string coordinate_frame;  // "body" | "room" | "image"
  std::size_t window_values() const { return frames * links * bins * channels; }
};

inline constexpr const char* kContractKey = "wdp.contract";
inline constexpr const char* kSupportedContract = "wdp-pose/1";

// Throws std::runtime_error naming the missing or wrong field.
ModelContract parse_contract(const std::map<std::string, std::string>& metadata);

// FeatureWindow values [T][L][56][2] -> the model input, normalized in place (temporal demeaning
// when the contract asks for it, then per channel).
void normalize_window(const ModelContract& c, std::span<float> values);

}  // namespace wdp::pose
