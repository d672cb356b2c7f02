#pragma once
// pose-infer's options and its two inputs: a pose-dataset directory (infer_dataset.cpp) or a
// recorder recording (infer_recording.cpp). Both write one predictions JSON file.
#include <cstddef>
#include <string>
#include <vector>

namespace wdp::pose {

struct InferOptions {
  std::string model, input, output, truth_output;
  double threshold = 0.5;
  int threads = 1;  // OpenCV inference threads (0 = OpenCV's default)
  // Datasets
  std::string split = "test_room";
  std::size_t batch = 32;
  bool track = false;
  std::string precision = "fp32";
  std::size_t calibration = 256;
  // Recordings
  std::string from = "auto";
  std::vector<std::string> nodes;
  std::size_t hop = 10;
};

// Throw std::exception with the reason on failure.
void infer_dataset(const InferOptions& o);
void infer_recording(const InferOptions& o);

}  // namespace wdp::pose
