// Speed work must not change results: the preprocessor's canonical frames and the pipeline's
// feature windows and sensing updates for the bench's frame shapes hash to the values recorded
// with the code before this round of speed work (the dsp and signal-processor code of commit
// 4c71972, recorded on Debian 12 x86-64). Any change of any bit in those outputs changes the
// hash. Doppler (FFTW picks its SIMD codelets per CPU) and vitals are left out: they are not part
// of the per-frame chain.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <span>

#include "csi_preprocessor.h"
#include "link_pipeline.h"
#include "shape_frames.h"

namespace wdp::signal {
namespace {

struct Fnv {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  template <typename T>
  void values(std::span<const T> v) { bytes(v.data(), v.size_bytes()); }
  template <typename T>
  void value(T v) { bytes(&v, sizeof v); }
};

std::uint64_t run_shape(const testing::Shape& shape) {
  const auto frames = testing::shape_frames(shape, 1500);
  Fnv fnv;
  CsiPreprocessor pre;
  CanonicalFrame canon;
  for (const auto& f : frames) {
    EXPECT_EQ(pre.process(f, canon), "");
    fnv.values(std::span<const double>(canon.amplitude));
    fnv.values(std::span<const double>(canon.phase));
  }
  PipelineParams params;
  params.vitals = false;
  std::size_t updates = 0, windows = 0;
  LinkPipeline pipeline(
      params,
      [&](const SensingResult& r) {
        ++updates;
        fnv.value(r.t);
        fnv.value(r.motion);
        fnv.value(r.moving);
        fnv.value(r.presence);
        fnv.value(r.presence_confidence);
        fnv.value(r.persons);
        fnv.value(r.motion_rank);
        fnv.value(r.motion_components);
        fnv.values(std::span<const float>(r.amplitude));
      },
      [&](const FeatureWindowResult& w) {
        ++windows;
        fnv.values(std::span<const float>(w.values));
      });
  double t = 0;
  for (std::size_t i = 0; i < 3000; ++i) {  // 60 s at 50 Hz: past every window and calibration
    t += 0.02;
    EXPECT_EQ(pipeline.push(frames[i % frames.size()], t), "");
  }
  EXPECT_GT(updates, 500u);
  EXPECT_GT(windows, 100u);
  return fnv.h;
}

TEST(LinkPipelineGolden, OutputsAreBitIdenticalToThePreOptimisationCode) {
  const std::uint64_t expected[] = {0x292bfebbaf4e41a2, 0x026d5a93790d3104, 0xfa1fe14013f4bcad, 0x30420224eafe33dc};
  for (std::size_t s = 0; s < std::size(testing::kShapes); ++s) {
    EXPECT_EQ(run_shape(testing::kShapes[s]), expected[s]) << testing::kShapes[s].name << " 0x" << std::hex << run_shape(testing::kShapes[s]);
  }
}

}  // namespace
}  // namespace wdp::signal
