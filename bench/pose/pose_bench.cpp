// pose-bench: per-window inference latency of the shipped model on one core (OpenCV DNN, fp32),
// and the service's window -> pose path (join 3 node windows, normalize, infer, track). Each
// benchmark reports p50/p99 of its iterations; the baselines in the same run are normalization
// alone and inference through OpenCV's own Permute layer (fast_permute:0).
//
//   taskset -c 1 build/bin/pose-bench [--model models/pose-default.onnx] [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>

#include "opencv_backend.h"
#include "pose_stage.h"

namespace {

std::string g_model = WDP_DEFAULT_MODEL;

std::vector<float> window_values(std::size_t n, double phase) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(0.1 * std::sin(0.01 * static_cast<double>(i) + phase));
  return v;
}

void percentiles(benchmark::State& state, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
}

template <class F>
void timed(benchmark::State& state, F&& body) {
  std::vector<double> us;
  us.reserve(100000);
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    body();
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  percentiles(state, us);
}

void BM_NormalizeOnly(benchmark::State& state) {  // baseline
  auto backend = wdp::pose::make_opencv_backend(g_model);
  const auto& c = backend->contract();
  const auto raw = window_values(c.window_values(), 0.3);
  std::vector<float> w;
  timed(state, [&] {
    w = raw;
    wdp::pose::normalize_window(c, w);
    benchmark::DoNotOptimize(w.data());
  });
}

// Arg 1: the default backend (blocked Permute layer); arg 0: OpenCV's own Permute layer, the path
// before it (in-run baseline for the change).
void BM_InferOneWindow(benchmark::State& state) {
  cv::setNumThreads(1);
  auto backend = wdp::pose::make_opencv_backend(g_model, {.fast_permute = state.range(0) != 0});
  const auto& c = backend->contract();
  auto w = window_values(c.window_values(), 0.3);
  wdp::pose::normalize_window(c, w);
  std::vector<wdp::pose::RawPoses> out;
  timed(state, [&] {
    out.clear();
    backend->infer(w, 1, out);
    benchmark::DoNotOptimize(out.data());
  });
}

void BM_InferBatchPerWindow(benchmark::State& state) {
  cv::setNumThreads(1);
  auto backend = wdp::pose::make_opencv_backend(g_model);
  const auto& c = backend->contract();
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::vector<float> w;
  for (std::size_t b = 0; b < batch; ++b) {
    auto one = window_values(c.window_values(), 0.1 * static_cast<double>(b));
    wdp::pose::normalize_window(c, one);
    w.insert(w.end(), one.begin(), one.end());
  }
  std::vector<wdp::pose::RawPoses> out;
  timed(state, [&] {
    out.clear();
    backend->infer(w, batch, out);
    benchmark::DoNotOptimize(out.data());
  });
  // Per window, for comparison with BM_InferOneWindow.
  state.counters["p50_us"] = state.counters["p50_us"] / static_cast<double>(batch);
  state.counters["p99_us"] = state.counters["p99_us"] / static_cast<double>(batch);
  state.counters["windows"] = static_cast<double>(batch);
}

// The service path per joined window: three node windows in (FeatureWindow messages), one pose
// frame out - aligner, normalization, inference, tracking, PoseFrame construction.
void BM_StageWindowToPose(benchmark::State& state) {
  cv::setNumThreads(1);
  auto model = wdp::pose::load_model(g_model);
  const auto& c = model->backend->contract();
  wdp::pose::PoseStage stage({.nodes = {"esp32-1", "esp32-2", "esp32-3"}, .score_threshold = 0.0});
  std::vector<wdp::v1::FeatureWindow> msgs(3);
  for (int l = 0; l < 3; ++l) {
    msgs[l].set_frames(static_cast<std::uint32_t>(c.frames));
    msgs[l].set_links(1);
    msgs[l].set_bins(56);
    msgs[l].set_channels(2);
    for (float v : window_values(c.frames * 112, l)) msgs[l].add_values(v);
  }
  std::vector<wdp::pose::StageOutput> out;
  std::int64_t t_ns = 0;
  timed(state, [&] {
    t_ns += 500'000'000;
    out.clear();
    for (int l = 0; l < 3; ++l) {
      msgs[l].mutable_origin()->set_capture_time_ns(t_ns);
      stage.on_window("esp32-" + std::to_string(l + 1), msgs[l], model, out);
    }
    if (out.size() != 1) state.SkipWithError("no pose frame");
  });
}

BENCHMARK(BM_NormalizeOnly)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_InferOneWindow)->ArgName("fast_permute")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_InferBatchPerWindow)->Arg(3)->Arg(16)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StageWindowToPose)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
      g_model = argv[i + 1];
      for (int j = i; j + 2 <= argc; ++j) argv[j] = argv[j + 2];
      argc -= 2;
      break;
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
