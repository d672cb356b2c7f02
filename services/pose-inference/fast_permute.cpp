#include "fast_permute.h"

#include <opencv2/dnn.hpp>
#include <opencv2/dnn/layer.details.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <vector>

namespace wdp::pose {
namespace {

using cv::dnn::MatShape;

std::atomic<std::uint64_t> g_created{0};

// dst[c][r] = src[r][c] for a rows x cols matrix, in tiles that stay in L1.
void transpose_2d(const float* src, float* dst, int rows, int cols) {
  constexpr int kTile = 16;
  for (int r0 = 0; r0 < rows; r0 += kTile) {
    const int r1 = std::min(rows, r0 + kTile);
    for (int c0 = 0; c0 < cols; c0 += kTile) {
      const int c1 = std::min(cols, c0 + kTile);
      for (int c = c0; c < c1; ++c)
        for (int r = r0; r < r1; ++r) dst[static_cast<std::size_t>(c) * rows + r] = src[static_cast<std::size_t>(r) * cols + c];
    }
  }
}

class FastPermuteLayer final : public cv::dnn::Layer {
 public:
  explicit FastPermuteLayer(const cv::dnn::LayerParams& params) : Layer(params) {
    if (!params.has("order")) return;  // identity, as OpenCV's layer
    const cv::dnn::DictValue order = params.get("order");
    for (int i = 0; i < order.size(); ++i) order_.push_back(order.get<int>(i));
    std::vector<int> sorted = order_;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < static_cast<int>(sorted.size()); ++i)
      if (sorted[static_cast<std::size_t>(i)] != i) CV_Error(cv::Error::StsBadArg, "Permute: order is not a permutation");
  }

  static cv::Ptr<cv::dnn::Layer> create(cv::dnn::LayerParams& params) {
    ++g_created;
    return cv::makePtr<FastPermuteLayer>(params);
  }

  bool getMemoryShapes(const std::vector<MatShape>& inputs, const int required, std::vector<MatShape>& outputs,
                       std::vector<MatShape>& internals) const override {
    if (identity()) return Layer::getMemoryShapes(inputs, required, outputs, internals);
    outputs.clear();
    for (const auto& in : inputs) {
      CV_Assert(in.size() == order_.size());
      MatShape out(in.size());
      for (std::size_t i = 0; i < order_.size(); ++i) out[i] = in[static_cast<std::size_t>(order_[i])];
      outputs.push_back(out);
    }
    return false;
  }

  void forward(cv::InputArrayOfArrays in_arr, cv::OutputArrayOfArrays out_arr, cv::OutputArrayOfArrays) override {
    std::vector<cv::Mat> in, out;
    in_arr.getMatVector(in);
    out_arr.getMatVector(out);
    for (std::size_t k = 0; k < in.size(); ++k) {
      CV_CheckTypeEQ(in[k].type(), CV_32F, "Permute: fp32 only");
      CV_Assert(in[k].isContinuous() && out[k].isContinuous() && in[k].total() == out[k].total());
      if (identity()) {
        if (in[k].data != out[k].data) in[k].copyTo(out[k]);
      } else {
        permute(in[k], out[k]);
      }
    }
  }

 private:
  bool identity() const {
    for (std::size_t i = 0; i < order_.size(); ++i)
      if (order_[i] != static_cast<int>(i)) return false;
    return true;
  }

  void permute(const cv::Mat& in, cv::Mat& out) const {
    const int n = in.dims;
    CV_Assert(n == static_cast<int>(order_.size()));
    const float* src = in.ptr<float>();
    float* dst = out.ptr<float>();
    bool swap_last = n >= 2 && order_[static_cast<std::size_t>(n - 1)] == n - 2 &&
                     order_[static_cast<std::size_t>(n - 2)] == n - 1;
    for (int i = 0; i + 2 < n; ++i) swap_last = swap_last && order_[static_cast<std::size_t>(i)] == i;
    if (swap_last) {  // a batch of 2-D transposes: the shipped model's case
      const int rows = in.size[n - 2], cols = in.size[n - 1];
      const std::size_t plane = static_cast<std::size_t>(rows) * cols;
      for (std::size_t b = 0; b < in.total() / std::max<std::size_t>(plane, 1); ++b)
        transpose_2d(src + b * plane, dst + b * plane, rows, cols);
      return;
    }
    // Odometer over the output's axes; the innermost one is a strided gather.
    std::vector<std::size_t> in_stride(static_cast<std::size_t>(n), 1), size(static_cast<std::size_t>(n)),
        stride(static_cast<std::size_t>(n)), idx(static_cast<std::size_t>(n), 0);
    for (int i = n - 2; i >= 0; --i) in_stride[static_cast<std::size_t>(i)] = in_stride[static_cast<std::size_t>(i + 1)] * static_cast<std::size_t>(in.size[i + 1]);
    for (int i = 0; i < n; ++i) {
      size[static_cast<std::size_t>(i)] = static_cast<std::size_t>(in.size[order_[static_cast<std::size_t>(i)]]);
      stride[static_cast<std::size_t>(i)] = in_stride[static_cast<std::size_t>(order_[static_cast<std::size_t>(i)])];
    }
    const std::size_t inner = size.back(), inner_stride = stride.back(), total = in.total();
    std::size_t base = 0;
    for (std::size_t o = 0; o < total; o += inner) {
      for (std::size_t j = 0; j < inner; ++j) dst[o + j] = src[base + j * inner_stride];
      for (int a = n - 2; a >= 0; --a) {  // next output row
        const auto ua = static_cast<std::size_t>(a);
        base += stride[ua];
        if (++idx[ua] < size[ua]) break;
        base -= stride[ua] * size[ua];
        idx[ua] = 0;
      }
    }
  }

  std::vector<int> order_;
};

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

std::uint64_t fast_permute_layers_created() { return g_created.load(); }

FastPermuteScope::FastPermuteScope() {
  registry_mutex().lock();
  cv::dnn::LayerFactory::registerLayer("Permute", FastPermuteLayer::create);
}

FastPermuteScope::~FastPermuteScope() {
  cv::dnn::LayerFactory::unregisterLayer("Permute");  // pops ours: OpenCV's own is back
  registry_mutex().unlock();
}

}  // namespace wdp::pose
