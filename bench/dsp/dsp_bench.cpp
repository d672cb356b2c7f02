// dsp-bench (Google Benchmark): each signal-processor stage and the per-frame chain, for the frame
// shapes of the issue: 1×64 and 4×64 (ESP32 HT20 buffers, int8), 3×56 (HT20, int16) and 3×114
// (HT40, int16). The chain = preprocess (bins, amplitude, CFO/STO phase sanitising, canonical 56)
// + temporal unwrap + Hampel update + uniform grid + motion update + feature ring, i.e.
// LinkPipeline::push with vitals and sensing updates amortised over the frames.
//
//   build/bin/dsp-bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// The reference Python chain takes 1,657 µs per 4×64 frame (../shared/docs/signal-reference.md §13.1).
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "csi_preprocessor.h"
#include "link_pipeline.h"
#include "shape_frames.h"
#include "wdp/dsp/hampel.h"
#include "wdp/dsp/motion_detector.h"

namespace {

using namespace wdp;

using signal::testing::kShapes;

std::vector<v1::CsiFrame> frames_for(const signal::testing::Shape& s, std::size_t n) { return signal::testing::shape_frames(s, n); }

void BM_Preprocess(benchmark::State& state) {
  const auto frames = frames_for(kShapes[state.range(0)], 256);
  signal::CsiPreprocessor pre;
  signal::CanonicalFrame out;
  std::size_t i = 0;
  for (auto _ : state) {
    auto why = pre.process(frames[i++ % frames.size()], out);
    benchmark::DoNotOptimize(why);
  }
  state.SetLabel(kShapes[state.range(0)].name);
}

void BM_HampelUpdate56(benchmark::State& state) {
  dsp::HampelBank bank(56, {.min_relative_sigma = 0.02});
  std::vector<float> in(56), out(56);
  std::mt19937 rng(2);
  std::normal_distribution<float> n01(10, 1);
  for (auto& v : in) v = n01(rng);
  for (auto _ : state) {
    in[state.iterations() % 56] = n01(rng);
    benchmark::DoNotOptimize(bank.push(in, out));
  }
}

void BM_MotionUpdate56(benchmark::State& state) {
  dsp::MotionDetector m(56, 20);
  std::vector<double> x(56, 1.0);
  std::mt19937 rng(3);
  std::normal_distribution<double> n01(1, 0.01);
  for (auto _ : state) {
    for (auto& v : x) v = n01(rng);
    benchmark::DoNotOptimize(m.push(x).statistic);
  }
}

// The chain of the issue: preprocess + temporal unwrap + Hampel + grid + motion + feature ring,
// with the 10 Hz sensing updates (Doppler every 8 grid samples) amortised; vitals off (range 1 = 0)
// or on (range 1 = 1: breathing + heart estimated every second, amortised over 50 frames).
void BM_Chain(benchmark::State& state) {
  const auto& shape = kShapes[state.range(0)];
  auto frames = frames_for(shape, 1024);
  std::size_t updates = 0;
  signal::PipelineParams params;
  params.vitals = state.range(1) != 0;
  signal::LinkPipeline pipeline(params, [&](const signal::SensingResult&) { ++updates; }, [](const signal::FeatureWindowResult&) {});
  double t = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    auto& f = frames[i++ % frames.size()];
    t += 0.02;  // 50 Hz input
    auto why = pipeline.push(f, t);
    benchmark::DoNotOptimize(why);
  }
  state.SetLabel(std::string(kShapes[state.range(0)].name) + (params.vitals ? " +vitals" : ""));
  state.counters["reference_us"] = 1657;  // Python v1, 4×64
}

}  // namespace

BENCHMARK(BM_Preprocess)->DenseRange(0, 3);
BENCHMARK(BM_HampelUpdate56);
BENCHMARK(BM_MotionUpdate56);
BENCHMARK(BM_Chain)->ArgsProduct({{0, 1, 2, 3}, {0, 1}});
BENCHMARK_MAIN();
