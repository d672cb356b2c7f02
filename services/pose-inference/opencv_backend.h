#pragma once
// OpenCV DNN (4.6) backend: readNetFromONNX, CPU, the three contract outputs by name. OpenCV's
// own thread pool is left as configured (cv::setNumThreads, process-wide: the service and the
// tools set it from --threads); one instance per thread.
#include <filesystem>
#include <memory>
#include <vector>

#include "inference_backend.h"

namespace wdp::pose {

struct OpenCvOptions {
  // int8: OpenCV's own post-training static quantization (Net::quantize, weights and activations)
  // calibrated on these normalized windows (batch x window_values each). Empty = fp32.
  std::vector<std::vector<float>> int8_calibration;
  // fp32: import Transpose nodes with our blocked Permute layer (fast_permute.h), not OpenCV's
  // element-wise one; the outputs are the same bytes. Ignored for int8.
  bool fast_permute = true;
};

// OpenCV's worker threads for inference, process-wide: 1 = each window on one core (what
// pose-bench measures and the 0.5 ms target is for); 0 = OpenCV's default (all cores).
void set_inference_threads(int threads);

// Throws std::runtime_error when the file cannot be read, has no valid contract or does not run
// on a zero window.
std::unique_ptr<InferenceBackend> make_opencv_backend(const std::filesystem::path& model, const OpenCvOptions& options = {});

}  // namespace wdp::pose
