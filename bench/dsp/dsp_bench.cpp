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
#include "wdp/dsp/hampel.h"
#include "wdp/dsp/motion_detector.h"

namespace {

using namespace wdp;

struct Shape {
  std::uint32_t rx;
  int lo, hi;          // index range of the buffer
  bool esp_order;      // 0..31, −32..−1 buffer order (ESP32) instead of ascending
  v1::SampleType type;
};

// A frame of the given shape with a realistic channel, noise and per-frame CFO/STO.
v1::CsiFrame make_frame(const Shape& s, double t, std::mt19937& rng) {
  std::normal_distribution<double> n01(0, 1);
  std::uniform_real_distribution<double> u(-3.14, 3.14);
  v1::CsiFrame f;
  f.set_node_id("bench");
  f.set_n_rx(s.rx);
  f.set_n_tx(1);
  f.set_sample_type(s.type);
  f.set_sensor_time_ns(static_cast<std::int64_t>(t * 1e9));
  std::vector<int> idx;
  if (s.esp_order) {
    for (int j = 0; j < 64; ++j) idx.push_back(j < 32 ? j : j - 64);
  } else {
    for (int m = s.lo; m <= s.hi; ++m) idx.push_back(m);
  }
  std::string flags;
  const int edge = std::max(-s.lo, s.hi) - (s.hi > 32 ? 6 : 4);
  for (int m : idx) {
    f.add_subcarrier_index(m);
    flags.push_back(m == 0 || std::abs(m) > edge ? char(v1::BIN_FLAG_NULL) : char(0));
  }
  const double cfo = u(rng), sto = 0.05 * n01(rng);
  std::string samples;
  for (std::uint32_t r = 0; r < s.rx; ++r) {
    for (std::size_t b = 0; b < idx.size(); ++b) {
      const int m = idx[b];
      const double scale = s.type == v1::SAMPLE_TYPE_INT8 ? 30 : 300;
      const auto h = std::polar(scale * (1 + 0.3 * std::sin(0.2 * m + t)), 0.4 * m + cfo + sto * m + 0.5 * r) +
                     std::complex<double>(n01(rng), n01(rng)) * (scale * 0.02);
      if (s.type == v1::SAMPLE_TYPE_INT8) {
        samples.push_back(static_cast<char>(std::clamp<long>(std::lround(h.real()), -128, 127)));
        samples.push_back(static_cast<char>(std::clamp<long>(std::lround(h.imag()), -128, 127)));
      } else {
        const std::int16_t re = static_cast<std::int16_t>(std::lround(h.real())), im = static_cast<std::int16_t>(std::lround(h.imag()));
        samples.append(reinterpret_cast<const char*>(&re), 2);
        samples.append(reinterpret_cast<const char*>(&im), 2);
      }
    }
  }
  f.set_n_bins(static_cast<std::uint32_t>(idx.size()));
  f.set_bin_flags(flags);
  f.set_samples(samples);
  return f;
}

const Shape kShapes[] = {
    {1, -32, 31, true, v1::SAMPLE_TYPE_INT8},     // 1×64
    {4, -32, 31, true, v1::SAMPLE_TYPE_INT8},     // 4×64
    {3, -28, 28, false, v1::SAMPLE_TYPE_INT16_LE},  // 3×56 (+DC)
    {3, -58, 58, false, v1::SAMPLE_TYPE_INT16_LE},  // 3×114 (+DC, ±1)
};
const char* kNames[] = {"1x64", "4x64", "3x56", "3x114"};

std::vector<v1::CsiFrame> frames_for(const Shape& s, std::size_t n) {
  std::mt19937 rng(1);
  std::vector<v1::CsiFrame> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(make_frame(s, 0.02 * double(i), rng));
  return v;
}

void BM_Preprocess(benchmark::State& state) {
  const auto frames = frames_for(kShapes[state.range(0)], 256);
  signal::CsiPreprocessor pre;
  signal::CanonicalFrame out;
  std::size_t i = 0;
  for (auto _ : state) {
    auto why = pre.process(frames[i++ % frames.size()], out);
    benchmark::DoNotOptimize(why);
  }
  state.SetLabel(kNames[state.range(0)]);
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
  state.SetLabel(std::string(kNames[state.range(0)]) + (params.vitals ? " +vitals" : ""));
  state.counters["reference_us"] = 1657;  // Python v1, 4×64
}

}  // namespace

BENCHMARK(BM_Preprocess)->DenseRange(0, 3);
BENCHMARK(BM_HampelUpdate56);
BENCHMARK(BM_MotionUpdate56);
BENCHMARK(BM_Chain)->ArgsProduct({{0, 1, 2, 3}, {0, 1}});
BENCHMARK_MAIN();
