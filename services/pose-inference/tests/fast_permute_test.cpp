// The blocked Permute layer (fast_permute.h) against OpenCV's own: the same bytes for the shipped
// model's order and for others, OpenCV's layer back once the scope ends, and the shipped model's
// outputs identical with either layer.
#include <gtest/gtest.h>
#include <opencv2/dnn.hpp>
#include <opencv2/dnn/all_layers.hpp>

#include <cstring>
#include <filesystem>

#include "fast_permute.h"
#include "model_contract.h"
#include "opencv_backend.h"

namespace wdp::pose {
namespace {

struct Permuted {
  cv::Mat out;
  bool opencv_layer = false;  // the net used OpenCV's PermuteLayer class
};

Permuted run_permute(const cv::Mat& in, const std::vector<int>& order, bool fast) {
  std::optional<FastPermuteScope> scope;
  if (fast) scope.emplace();  // held through forward(): the net instantiates its layers there
  cv::dnn::Net net;
  cv::dnn::LayerParams lp;
  lp.name = "p";
  lp.type = "Permute";
  lp.set("order", cv::dnn::DictValue::arrayInt(order.data(), static_cast<int>(order.size())));
  net.addLayerToPrev(lp.name, lp.type, lp);
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net.setInput(in);
  Permuted r{.out = net.forward().clone()};
  r.opencv_layer = dynamic_cast<cv::dnn::PermuteLayer*>(net.getLayer("p").get()) != nullptr;
  return r;
}

bool same_bytes(const cv::Mat& a, const cv::Mat& b) {
  if (a.dims != b.dims || a.type() != b.type() || a.total() != b.total()) return false;
  for (int i = 0; i < a.dims; ++i)
    if (a.size[i] != b.size[i]) return false;
  return std::memcmp(a.ptr(), b.ptr(), a.total() * a.elemSize()) == 0;
}

class FastPermuteOrder : public ::testing::TestWithParam<std::pair<std::vector<int>, std::vector<int>>> {};

TEST_P(FastPermuteOrder, SameBytesAsOpenCvsLayer) {
  const auto& [shape, order] = GetParam();
  cv::Mat in(static_cast<int>(shape.size()), shape.data(), CV_32F);
  cv::randu(in, -10, 10);
  const auto ours = run_permute(in, order, true);
  const auto theirs = run_permute(in, order, false);
  EXPECT_FALSE(ours.opencv_layer);
  EXPECT_TRUE(theirs.opencv_layer);
  EXPECT_TRUE(same_bytes(ours.out, theirs.out));
}

INSTANTIATE_TEST_SUITE_P(
    Orders, FastPermuteOrder,
    ::testing::Values(std::pair{std::vector<int>{1, 64, 336}, std::vector<int>{0, 2, 1}},  // the shipped model
                      std::pair{std::vector<int>{3, 17, 5}, std::vector<int>{0, 2, 1}},    // tiles cut at the edges
                      std::pair{std::vector<int>{2, 3, 4, 5}, std::vector<int>{0, 2, 3, 1}},
                      std::pair{std::vector<int>{4, 3, 5}, std::vector<int>{2, 0, 1}},
                      std::pair{std::vector<int>{7, 9}, std::vector<int>{1, 0}},
                      std::pair{std::vector<int>{2, 3, 4}, std::vector<int>{0, 1, 2}}));

TEST(FastPermute, HandComputedTransposeAndOpenCvsLayerIsBackAfterTheScope) {
  // [1][2][3] = {{0 1 2} {3 4 5}} -> [1][3][2] = {{0 3} {1 4} {2 5}}
  const int shape[3] = {1, 2, 3};
  cv::Mat in(3, shape, CV_32F);
  for (int i = 0; i < 6; ++i) in.ptr<float>()[i] = static_cast<float>(i);
  const auto r = run_permute(in, {0, 2, 1}, true);
  ASSERT_EQ(r.out.size[1], 3);
  ASSERT_EQ(r.out.size[2], 2);
  const float want[6] = {0, 3, 1, 4, 2, 5};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(r.out.ptr<float>()[i], want[i]) << i;
  cv::dnn::LayerParams lp;
  lp.type = "Permute";
  const int order[3] = {0, 2, 1};
  lp.set("order", cv::dnn::DictValue::arrayInt(order, 3));
  EXPECT_NE(dynamic_cast<cv::dnn::PermuteLayer*>(cv::dnn::LayerFactory::createLayerInstance("Permute", lp).get()), nullptr);
}

TEST(ShippedModel, FastPermuteGivesTheSameOutputsAsOpenCvsLayer) {
  const std::filesystem::path model = std::filesystem::path(WDP_SOURCE_DIR) / "models/pose-default.onnx";
  const auto before = fast_permute_layers_created();
  auto slow = make_opencv_backend(model, {.fast_permute = false});
  EXPECT_EQ(fast_permute_layers_created(), before);
  auto fast = make_opencv_backend(model, {.fast_permute = true});
  EXPECT_GT(fast_permute_layers_created(), before) << "the model's Transpose did not get the fast layer";
  const auto& c = fast->contract();
  std::vector<float> w(3 * c.window_values());
  cv::Mat view(1, static_cast<int>(w.size()), CV_32F, w.data());
  cv::randn(view, 0, 1);
  std::vector<RawPoses> a, b;
  fast->infer(w, 3, a);
  slow->infer(w, 3, b);
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(b.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t p = 0; p < c.persons; ++p) {
      EXPECT_EQ(a[i][p].score, b[i][p].score);
      EXPECT_EQ(a[i][p].keypoints, b[i][p].keypoints);
      EXPECT_EQ(a[i][p].confidence, b[i][p].confidence);
    }
}

}  // namespace
}  // namespace wdp::pose
