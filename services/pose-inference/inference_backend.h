#pragma once
// An inference backend runs a pose model that follows the contract (model_contract.h) on a batch
// of normalized windows. OpenCV DNN is the default (opencv_backend.h); an ONNX Runtime backend
// could implement the same interface on machines that have it (not built or tested here).
#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model_contract.h"

namespace wdp::pose {

struct RawPerson {
  std::array<std::array<float, 3>, 17> keypoints{};  // in the contract's coordinate frame
  std::array<float, 17> confidence{};                // 0..1
  float score = 0;                                   // 0..1
};
using RawPoses = std::vector<RawPerson>;             // contract.persons entries

class InferenceBackend {
 public:
  virtual ~InferenceBackend() = default;
  virtual const ModelContract& contract() const = 0;
  virtual std::string name() const = 0;
  // windows: batch x contract().window_values() floats, already normalized. Appends one RawPoses
  // per window to out.
  virtual void infer(std::span<const float> windows, std::size_t batch, std::vector<RawPoses>& out) = 0;
};

}  // namespace wdp::pose
