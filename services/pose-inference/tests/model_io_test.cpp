// ONNX metadata scanning, contract parsing and the shipped model's self-check through OpenCV DNN.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <filesystem>
#include <fstream>
#include <string>

#include "model_contract.h"
#include "onnx_metadata.h"
#include "opencv_backend.h"
#include "selfcheck.h"

namespace wdp::pose {
namespace {

std::string entry(const std::string& k, const std::string& v) {
  std::string e;
  e += '\x0a';
  e += static_cast<char>(k.size());
  e += k;
  e += '\x12';
  e += static_cast<char>(v.size());
  e += v;
  return e;
}

TEST(OnnxMetadata, ReadsField14AndSkipsTheRest) {
  std::string m;
  m += "\x08\x07";                    // ir_version = 7 (varint)
  m += "\x3a\x03xyz";                 // graph (length-delimited, skipped)
  const std::string e1 = entry("a", "bc"), e2 = entry("wdp.contract", "{}");
  m += '\x72';                        // field 14, wire type 2
  m += static_cast<char>(e1.size());
  m += e1;
  m += '\x72';
  m += static_cast<char>(e2.size());
  m += e2;
  const auto md = parse_onnx_metadata(m);
  ASSERT_EQ(md.size(), 2u);
  EXPECT_EQ(md.at("a"), "bc");
  EXPECT_EQ(md.at("wdp.contract"), "{}");
}

TEST(OnnxMetadata, TruncatedInputIsAnError) {
  EXPECT_THROW(parse_onnx_metadata(std::string("\x72\x10\x0a", 3)), std::runtime_error);
  EXPECT_THROW(parse_onnx_metadata(std::string("\x08\xff", 2)), std::runtime_error);
}

TEST(ModelContract, ParsesAndRejects) {
  const std::string ok = R"({"contract":"wdp-pose/1","model_version":"v","input":{"name":"window","frames":64,"links":3,
    "bins":56,"channels":2,"normalization":{"mean":[0,0.5],"std":[2,4],"clip":8}},
    "output":{"persons":1,"keypoints":17,"coordinate_frame":"body"}})";
  const auto c = parse_contract({{kContractKey, ok}});
  EXPECT_EQ(c.window_values(), 64u * 3 * 56 * 2);
  std::vector<float> w{1.0f, 0.5f, 100.0f, -100.0f};
  normalize_window(c, w);
  EXPECT_FLOAT_EQ(w[0], 0.5f);   // (1 - 0) / 2
  EXPECT_FLOAT_EQ(w[1], 0.0f);   // (0.5 - 0.5) / 4
  EXPECT_FLOAT_EQ(w[2], 8.0f);   // clipped
  EXPECT_FLOAT_EQ(w[3], -8.0f);
  EXPECT_THROW(parse_contract({}), std::runtime_error);
  std::string bad = ok;
  bad.replace(bad.find("wdp-pose/1"), 10, "wdp-pose/9");
  EXPECT_THROW(parse_contract({{kContractKey, bad}}), std::runtime_error);
}

TEST(ModelContract, TemporalDemeanThenScale) {
  ModelContract c;
  c.frames = 2;
  c.temporal_demean = true;
  c.mean = {0, 0};
  c.std = {2, 1};
  // [T=2][F=2]: feature 0 (amplitude) 1, 3 -> mean 2 -> -1, 1 -> /2; feature 1 (phase) 5, 5 -> 0, 0
  std::vector<float> w{1, 5, 3, 5};
  normalize_window(c, w);
  EXPECT_FLOAT_EQ(w[0], -0.5f);
  EXPECT_FLOAT_EQ(w[1], 0.0f);
  EXPECT_FLOAT_EQ(w[2], 0.5f);
  EXPECT_FLOAT_EQ(w[3], 0.0f);
}

// The one-pass normalization against the plain three-pass definition: the same bits.
TEST(ModelContract, NormalizationMatchesTheThreePassDefinitionExactly) {
  ModelContract c;
  c.frames = 64;
  c.links = 3;
  c.temporal_demean = true;
  c.mean = {0.01f, -0.02f};
  c.std = {0.3f, 1.7f};
  c.clip = 2;
  std::vector<float> w(c.window_values());
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(std::sin(0.37 * double(i)) * (1 + double(i % 7)));
  std::vector<float> want = w;
  const std::size_t f = w.size() / c.frames;
  std::vector<double> mean(f, 0.0);
  for (std::size_t t = 0; t < c.frames; ++t)
    for (std::size_t i = 0; i < f; ++i) mean[i] += want[t * f + i];
  for (std::size_t t = 0; t < c.frames; ++t)
    for (std::size_t i = 0; i < f; ++i) want[t * f + i] -= static_cast<float>(mean[i] / double(c.frames));
  for (std::size_t i = 0; i < want.size(); ++i)
    want[i] = std::clamp((want[i] - c.mean[i & 1]) / c.std[i & 1], -c.clip, c.clip);
  normalize_window(c, w);
  ASSERT_EQ(w.size(), want.size());
  std::size_t clipped = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    ASSERT_EQ(w[i], want[i]) << i;
    clipped += std::abs(w[i]) == c.clip;
  }
  EXPECT_GT(clipped, 0u);  // the clip is exercised
}

TEST(ShippedModel, OpenCvOutputEqualsTorchWithin1e4) {
  const std::filesystem::path model = std::filesystem::path(WDP_SOURCE_DIR) / "models/pose-default.onnx";
  ASSERT_TRUE(std::filesystem::exists(model)) << model;
  auto backend = make_opencv_backend(model);
  EXPECT_EQ(backend->contract().contract, "wdp-pose/1");
  const double diff = selfcheck_max_abs_diff(*backend, read_onnx_metadata(model));
  std::printf("shipped model: max |OpenCV - torch| = %.3g\n", diff);
  EXPECT_LE(diff, 1e-4);
}

TEST(OpenCvBackend, NonModelFileIsAClearError) {
  const std::filesystem::path p = std::filesystem::temp_directory_path() / "not-a-model.onnx";
  { std::ofstream(p) << "hello"; }
  try {
    make_opencv_backend(p);
    FAIL() << "loaded a text file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos);
  }
  std::filesystem::remove(p);
}

}  // namespace
}  // namespace wdp::pose
