#pragma once
// OpenCV DNN (4.6) backend: readNetFromONNX, CPU, the three contract outputs by name. OpenCV's
// own thread pool is left as configured (cv::setNumThreads); one instance per thread.
#include <filesystem>
#include <memory>
#include <vector>

#include "inference_backend.h"

namespace wdp::pose {

struct OpenCvOptions {
  // int8: OpenCV's own post-training static quantization (Net::quantize, weights and activations)
  // calibrated on these normalized windows (batch x window_values each). Empty = fp32.
  std::vector<std::vector<float>> int8_calibration;
};

// Throws std::runtime_error when the file cannot be read, has no valid contract or does not run
// on a zero window.
std::unique_ptr<InferenceBackend> make_opencv_backend(const std::filesystem::path& model, const OpenCvOptions& options = {});

}  // namespace wdp::pose
