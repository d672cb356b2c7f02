#pragma once
// The model's self-check (ONNX metadata "wdp.selfcheck", written at export by training/): torch's
// outputs on a deterministic input. Running the same input through a backend proves the backend
// computes what torch computed; the service refuses models whose difference exceeds a tolerance.
#include <map>
#include <string>

#include "inference_backend.h"

namespace wdp::pose {

inline constexpr const char* kSelfcheckKey = "wdp.selfcheck";

// Largest absolute difference over all outputs; throws std::runtime_error if the metadata has no
// (or a malformed) self-check.
double selfcheck_max_abs_diff(InferenceBackend& backend, const std::map<std::string, std::string>& metadata);

}  // namespace wdp::pose
