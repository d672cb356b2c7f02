#include "opencv_backend.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/dnn.hpp>

#include <optional>
#include <stdexcept>

#include "fast_permute.h"
#include "onnx_metadata.h"

namespace wdp::pose {
namespace {

class OpenCvBackend final : public InferenceBackend {
 public:
  OpenCvBackend(const std::filesystem::path& path, ModelContract contract, const OpenCvOptions& o)
      : c_(std::move(contract)), int8_(!o.int8_calibration.empty()) {
    try {
      std::optional<FastPermuteScope> fast;
      if (!int8_ && o.fast_permute) fast.emplace();
      net_ = cv::dnn::readNetFromONNX(path.string());
    } catch (const cv::Exception& e) {
      throw std::runtime_error(path.string() + ": OpenCV DNN cannot import the model: " + e.what());
    }
    net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    names_ = {"keypoints", "keypoint_confidence", "person_score"};
    if (int8_) {
      std::vector<cv::Mat> calib;
      for (const auto& w : o.int8_calibration) {
        const int shape[3] = {static_cast<int>(w.size() / c_.window_values()), static_cast<int>(c_.frames),
                              static_cast<int>(c_.window_values() / c_.frames)};
        calib.push_back(cv::Mat(3, shape, CV_32F, const_cast<float*>(w.data())).clone());
      }
      try {
        net_ = net_.quantize(calib, CV_32F, CV_32F);
      } catch (const cv::Exception& e) {
        throw std::runtime_error(path.string() + ": OpenCV DNN cannot quantize the model to int8: " + e.what());
      }
      net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
      net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    }
  }

  const ModelContract& contract() const override { return c_; }
  std::string name() const override { return int8_ ? "opencv-dnn-int8" : "opencv-dnn"; }

  void infer(std::span<const float> windows, std::size_t batch, std::vector<RawPoses>& out) override {
    const std::size_t n = c_.window_values();
    if (windows.size() != batch * n) throw std::invalid_argument("infer: window buffer size does not match the contract");
    const int shape[3] = {static_cast<int>(batch), static_cast<int>(c_.frames), static_cast<int>(n / c_.frames)};
    // OpenCV wants a non-const Mat header; the data is only read.
    cv::Mat input(3, shape, CV_32F, const_cast<float*>(windows.data()));
    net_.setInput(input, c_.input_name);
    net_.forward(outputs_, names_);
    const std::size_t k = c_.persons;
    for (std::size_t b = 0; b < batch; ++b) {
      const float* kp = outputs_[0].ptr<float>() + b * k * 51;
      const float* conf = outputs_[1].ptr<float>() + b * k * 17;
      const float* score = outputs_[2].ptr<float>() + b * k;
      RawPoses poses(k);
      for (std::size_t p = 0; p < k; ++p) {
        for (std::size_t j = 0; j < 17; ++j) {
          for (std::size_t d = 0; d < 3; ++d) poses[p].keypoints[j][d] = kp[p * 51 + j * 3 + d];
          poses[p].confidence[j] = conf[p * 17 + j];
        }
        poses[p].score = score[p];
      }
      out.push_back(std::move(poses));
    }
  }

 private:
  ModelContract c_;
  bool int8_ = false;
  cv::dnn::Net net_;
  std::vector<cv::String> names_;
  std::vector<cv::Mat> outputs_;
};

}  // namespace

void set_inference_threads(int threads) { cv::setNumThreads(threads > 0 ? threads : -1); }

std::unique_ptr<InferenceBackend> make_opencv_backend(const std::filesystem::path& model, const OpenCvOptions& options) {
  ModelContract contract;
  try {
    contract = parse_contract(read_onnx_metadata(model));
  } catch (const std::exception& e) {
    throw std::runtime_error(model.string() + ": " + e.what());
  }
  auto backend = std::make_unique<OpenCvBackend>(model, contract, options);
  // Fail at load time, not on the first live window.
  std::vector<float> zero(contract.window_values(), 0.0f);
  std::vector<RawPoses> out;
  try {
    backend->infer(zero, 1, out);
  } catch (const cv::Exception& e) {
    throw std::runtime_error(model.string() + ": OpenCV DNN cannot run the model: " + e.what());
  }
  return backend;
}

}  // namespace wdp::pose
