#pragma once
#include <cstdint>

// A faster CPU Permute layer (ONNX Transpose) for OpenCV DNN 4.6. OpenCV's own walks 3-D tensors
// element by element with an integer division per axis: on the shipped model's [1, 64, 336] ->
// [1, 336, 64] input transpose that is ~190 us of ~520 us per window. This layer produces the same
// bytes (a permutation is a copy) with cache-blocked tiles when the last two axes swap, and an
// odometer walk for any other order.
//
// OpenCV instantiates layers while it imports a model, so the layer only needs to be registered
// for the import: FastPermuteScope registers it under the type "Permute" and removes it again.
// Imports of models that will be quantized to int8 must not use it (OpenCV's quantizer expects
// its own layer class).

namespace wdp::pose {

class FastPermuteScope {
 public:
  FastPermuteScope();  // serializes with other scopes (OpenCV's registry is process-wide)
  ~FastPermuteScope();
  FastPermuteScope(const FastPermuteScope&) = delete;
  FastPermuteScope& operator=(const FastPermuteScope&) = delete;
};

// How many of these layers were created in this process (tests check that a model uses it).
std::uint64_t fast_permute_layers_created();

}  // namespace wdp::pose
