// pose-e2e-bench: end-to-end latency feature window -> pose frame on the api-gateway's gRPC stream.
// Starts real processes on loopback (bus-forwarder, pose-inference with the shipped model,
// api-gateway with a temporary database and admin key file), then publishes FeatureWindow
// messages on features.<node> as signal-processor does. The windows are real: the simulator and
// signal-processor's LinkPipeline through dataset/episode.h (the pose-dataset path), split per node.
// Each "tick" publishes one window per node with the same end time; pose-inference joins the three
// and publishes one PoseFrame, matched here by its capture time (= the windows' end time).
// Latency = receive wall clock - wall clock just before the tick's LAST window was published (the
// one that completes the join). Measured for the same frames at two places:
//   bus      a plain bus subscriber on pose.<node> in this process (pose-inference alone, baseline)
//   gateway  a StreamPoses gRPC client (bus -> api-gateway -> gRPC), what a dashboard client sees
// Phases: paced (--rate ticks/s for --seconds), then flat-out (closed loop: the next tick as soon
// as the previous frame reached the gRPC client, for --flat-seconds): one tick in flight at a time,
// so its rate is the stack's throughput for one room and its latency has no queueing in it.
#include <utility>  // Boost 1.74 asio misses this include under C++23

#include <algorithm>
#include <atomic>
#include <CLI/CLI.hpp>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <grpcpp/grpcpp.h>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "episode.h"
#include "process.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/bus/topics.h"
#include "wdp/testing/http_get.h"
#include "wdp/v1/gateway.grpc.pb.h"
#include "wdp/v1/pose.pb.h"
#include "wdp/v1/sensing.pb.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using wdp::bus::wall_ns;
using wdp::testing::Process;

struct Options {
  std::string bin = WDP_BIN_DIR;
  std::string model = std::string(WDP_SOURCE_DIR) + "/models/pose-default.onnx";
  double rate = 2;          // ticks (windows per node) per second
  double seconds = 60;
  double flat_seconds = 10;
  double episode_s = 40;    // simulated episode the windows are taken from (replayed in a loop)
  int threads = 1;          // pose-inference --threads
  bool keep = false;
};

// Per-node windows of one tick (same end time), in node order.
using Tick = std::vector<wdp::v1::FeatureWindow>;

std::vector<Tick> simulated_ticks(double duration_s) {
  wdp::pose::EpisodeSpec spec{.room_seed = 11, .subject_seed = 3, .script_seed = 5, .duration_s = duration_s};
  std::vector<Tick> out;
  wdp::pose::run_episode(spec, [&](const wdp::pose::Sample& s) {
    const std::size_t frames = spec.pipeline.feature_frames, links = s.x.size() / (frames * 112);
    Tick tick;
    for (std::size_t l = 0; l < links; ++l) {
      wdp::v1::FeatureWindow w;
      w.mutable_origin()->set_service("pose-e2e-bench");
      w.mutable_origin()->set_node_id("esp32-" + std::to_string(l + 1));
      w.set_frames(static_cast<std::uint32_t>(frames));
      w.set_links(1);
      w.set_bins(56);
      w.set_channels(2);
      w.set_sample_rate_hz(spec.pipeline.grid_rate_hz);
      for (std::size_t t = 0; t < frames; ++t)
        for (std::size_t k = 0; k < 112; ++k) w.add_values(s.x[(t * links + l) * 112 + k]);
      tick.push_back(std::move(w));
    }
    out.push_back(std::move(tick));
  });
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}

// Receive times of frames by capture time, from both consumers; the publisher waits on it.
struct Arrivals {
  std::mutex m;
  std::condition_variable cv;
  std::map<std::int64_t, std::int64_t> bus, grpc;  // capture time (ms) -> receive wall ns
  // pose-inference carries the end time through a double in seconds (~256 ns steps at today's
  // epoch), so frames are keyed by the millisecond; ticks are 0.5 s apart on that clock.
  static std::int64_t key(std::int64_t capture_ns) { return (capture_ns + 500'000) / 1'000'000; }
  void add(std::map<std::int64_t, std::int64_t> Arrivals::*which, std::int64_t capture_ns, std::int64_t at) {
    {
      std::lock_guard lock(m);
      (this->*which).emplace(key(capture_ns), at);
    }
    cv.notify_all();
  }
};

struct Phase {
  std::string name;
  std::vector<std::pair<std::int64_t, std::int64_t>> sent;  // (capture ms key, publish ns of the last window)
  double wall_s = 0;
};

void report(const Phase& p, Arrivals& a) {
  std::vector<double> bus_ms, gw_ms;
  std::lock_guard lock(a.m);
  for (const auto& [cap, at] : p.sent) {
    if (auto it = a.bus.find(cap); it != a.bus.end()) bus_ms.push_back((it->second - at) / 1e6);
    if (auto it = a.grpc.find(cap); it != a.grpc.end()) gw_ms.push_back((it->second - at) / 1e6);
  }
  const double b50 = percentile(bus_ms, 0.5), b99 = percentile(bus_ms, 0.99);
  const double g50 = percentile(gw_ms, 0.5), g99 = percentile(gw_ms, 0.99);
  std::printf("%-8s ticks=%zu (x3 windows) in %.1f s = %.1f frames/s | bus (pose-inference alone): frames=%zu "
              "p50=%.3f ms p99=%.3f ms | gateway gRPC: frames=%zu p50=%.3f ms p99=%.3f ms | gateway share p50=%.3f ms, "
              "ratio p50=%.2f p99=%.2f\n",
              p.name.c_str(), p.sent.size(), p.wall_s, static_cast<double>(p.sent.size()) / p.wall_s, bus_ms.size(), b50,
              b99, gw_ms.size(), g50, g99, g50 - b50, b50 > 0 ? g50 / b50 : 0, b99 > 0 ? g99 / b99 : 0);
}

int run(const Options& o) {
  for (const auto& f : {o.model, o.bin + "/pose-inference", o.bin + "/api-gateway", o.bin + "/bus-forwarder"})
    if (!fs::exists(f)) throw std::runtime_error(f + " not found (--model / --bin)");
  std::fprintf(stderr, "simulating %.0f s of a 3-node room through the signal pipeline...\n", o.episode_s);
  auto ticks = simulated_ticks(o.episode_s);
  if (ticks.empty() || ticks.front().size() != 3) throw std::runtime_error("the episode gave no 3-node windows");
  const fs::path dir = fs::temp_directory_path() / ("pose-e2e-bench." + std::to_string(::getpid()));
  fs::create_directories(dir);
  using wdp::testing::free_port;
  const auto http = free_port(), grpc_port = free_port(), pose_admin = free_port(), gw_admin = free_port();
  auto log = [&](const char* n) { return (dir / (std::string(n) + ".log")).string(); };
  wdp::testing::TestBus bus(o.bin, log("bus-forwarder"));
  if (!bus.ready(10s)) throw std::runtime_error("bus-forwarder not ready, see " + log("bus-forwarder"));
  const std::string pub_ep = bus.pub(), sub_ep = bus.sub();
  Process pose(o.bin + "/pose-inference", {"--bus-pub", pub_ep, "--bus-sub", sub_ep, "--admin-port",
                                           std::to_string(pose_admin), "--model", o.model, "--threads",
                                           std::to_string(o.threads), "--log-level", "warn"},
               log("pose-inference.out"), log("pose-inference"));
  Process gateway(o.bin + "/api-gateway", {"--bus-pub", pub_ep, "--bus-sub", sub_ep, "--admin-port", std::to_string(gw_admin),
                                           "--http-address", "127.0.0.1", "--http-port", std::to_string(http),
                                           "--grpc-address", "127.0.0.1", "--grpc-port", std::to_string(grpc_port),
                                           "--db", (dir / "gw.db").string(), "--admin-key-file",
                                           (dir / "admin.key").string(), "--rate-limit", "0", "--log-level", "warn"},
                  log("api-gateway.out"), log("api-gateway"));
  if (!wdp::testing::wait_http_ok(pose_admin, "/readyz", 20s)) throw std::runtime_error("pose-inference not ready, see " + log("pose-inference"));
  if (!wdp::testing::wait_http_ok(gw_admin, "/readyz", 20s)) throw std::runtime_error("api-gateway not ready, see " + log("api-gateway"));
  std::string key;
  std::getline(std::ifstream(dir / "admin.key"), key);
  if (key.empty()) throw std::runtime_error("no admin key written");

  Arrivals arrivals;
  // Gateway side: one StreamPoses client for the group's node.
  auto stub = wdp::v1::Gateway::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext gctx;
  gctx.AddMetadata("authorization", "Bearer " + key);
  wdp::v1::StreamRequest req;
  req.add_node_ids("esp32-1");
  auto reader = stub->StreamPoses(&gctx, req);
  std::thread grpc_reader([&] {
    wdp::v1::PoseFrame f;
    while (reader->Read(&f)) arrivals.add(&Arrivals::grpc, f.origin().capture_time_ns(), wall_ns());
  });
  // Bus side: the same frames straight off the bus.
  zmq::context_t zctx;
  wdp::bus::Subscriber sub(zctx, {.endpoints = {sub_ep}});
  sub.on<wdp::v1::PoseFrame>(wdp::bus::topics::pose, [&](const wdp::v1::PoseFrame& f, const wdp::bus::Delivery& d) {
    arrivals.add(&Arrivals::bus, f.origin().capture_time_ns(), d.receive_time_ns);
  });
  std::atomic<bool> stop{false};
  std::thread bus_reader([&] {
    while (!stop) sub.poll(5ms);
  });
  // Whatever ends the run (an error included), both reader threads are stopped and joined.
  struct Joiner {
    std::function<void()> f;
    ~Joiner() { f(); }
  } joiner{[&] {
    gctx.TryCancel();
    if (grpc_reader.joinable()) grpc_reader.join();
    stop = true;
    if (bus_reader.joinable()) bus_reader.join();
  }};
  wdp::bus::Publisher pub(zctx, {.endpoint = pub_ep});
  if (!pub.wait_for_subscriber("features.esp32-1", 10s)) throw std::runtime_error("pose-inference did not subscribe");

  // Data clock of the windows: 0.5 s per tick, as signal-processor's default hop, from "now".
  std::int64_t capture = wall_ns() / 1'000'000 * 1'000'000;
  std::size_t next = 0;
  auto publish_tick = [&](Phase& p) {
    capture += 500'000'000;
    auto& tick = ticks[next++ % ticks.size()];
    std::int64_t at = 0;
    for (auto& w : tick) {
      at = wall_ns();
      w.mutable_origin()->set_capture_time_ns(capture);
      w.mutable_origin()->set_publish_time_ns(at);
      pub.publish(wdp::bus::topics::make(wdp::bus::topics::features, w.origin().node_id()), w);
    }
    p.sent.emplace_back(Arrivals::key(capture), at);
  };
  auto wait_frame = [&](std::int64_t cap, std::chrono::milliseconds timeout) {
    std::unique_lock lock(arrivals.m);
    return arrivals.cv.wait_for(lock, timeout, [&] { return arrivals.grpc.contains(cap) && arrivals.bus.contains(cap); });
  };

  // Warm-up until frames flow through the gateway stream (the gRPC client registers asynchronously).
  Phase warm{"warm-up"};
  for (int i = 0; i < 40; ++i) {
    publish_tick(warm);
    if (wait_frame(warm.sent.back().first, 500ms)) break;
  }
  for (int i = 0; i < 10; ++i) {
    publish_tick(warm);
    wait_frame(warm.sent.back().first, 1s);
  }
  if (!wait_frame(warm.sent.back().first, 0ms)) {
    std::lock_guard lock(arrivals.m);
    throw std::runtime_error("no pose frame reached the gRPC stream (frames off the bus: " +
                             std::to_string(arrivals.bus.size()) + ", on gRPC: " + std::to_string(arrivals.grpc.size()) +
                             "); pose-inference metrics:\n" + wdp::testing::http_request(pose_admin, "/metrics").second);
  }

  Phase paced{"paced"};
  const auto period = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / o.rate));
  const auto n = static_cast<std::size_t>(o.rate * o.seconds);
  auto t0 = std::chrono::steady_clock::now();
  auto due = t0;
  for (std::size_t i = 0; i < n; ++i) {
    std::this_thread::sleep_until(due);
    due += period;
    publish_tick(paced);
  }
  wait_frame(paced.sent.back().first, 2s);
  std::this_thread::sleep_until(due);  // the last tick's period ends: rate = ticks / wall time
  paced.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  Phase flat{"flat-out"};
  t0 = std::chrono::steady_clock::now();
  const auto flat_end = t0 + std::chrono::duration<double>(o.flat_seconds);
  while (std::chrono::steady_clock::now() < flat_end) {
    publish_tick(flat);
    if (!wait_frame(flat.sent.back().first, 2s)) std::fprintf(stderr, "tick %zu: no frame within 2 s\n", flat.sent.size());
  }
  flat.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::printf("pose-e2e-bench: 3 nodes, windows %u frames x 56 bins x 2 from a %.0f s simulated episode (%zu ticks, "
              "replayed), model %s, pose-inference --threads %d\n",
              ticks.front().front().frames(), o.episode_s, ticks.size(), o.model.c_str(), o.threads);
  report(paced, arrivals);
  report(flat, arrivals);

  joiner.f();
  for (Process* p : {&gateway, &pose, &bus.process()}) {
    p->signal(SIGTERM);
    p->wait(5s);
  }
  if (o.keep) std::printf("run folder (logs): %s\n", dir.c_str());
  else fs::remove_all(dir);
  std::size_t lost = 0;
  {
    std::lock_guard lock(arrivals.m);
    for (const auto* p : {&paced, &flat})
      for (const auto& [cap, at] : p->sent) lost += !arrivals.grpc.contains(cap);
  }
  if (lost) std::printf("frames that never reached the gateway stream: %zu\n", lost);
  return lost == 0 ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pose-e2e-bench: feature window -> pose frame latency on the bus and on the api-gateway gRPC stream"};
  Options o;
  app.add_option("--bin", o.bin, "directory of the service binaries")->capture_default_str();
  app.add_option("--model", o.model, "ONNX pose model")->capture_default_str();
  app.add_option("--rate", o.rate, "paced phase: ticks per second (one window per node each)")->capture_default_str();
  app.add_option("--seconds", o.seconds, "paced phase: duration")->capture_default_str();
  app.add_option("--flat-seconds", o.flat_seconds, "flat-out phase: duration, each tick sent when the previous frame arrived")
      ->capture_default_str();
  app.add_option("--episode", o.episode_s, "simulated seconds the windows come from")->capture_default_str();
  app.add_option("--threads", o.threads, "pose-inference --threads")->capture_default_str();
  app.add_flag("--keep", o.keep, "keep the run folder (logs)");
  CLI11_PARSE(app, argc, argv);
  if (o.rate <= 0 || o.seconds <= 0 || o.flat_seconds < 0) {
    std::cerr << "error: --rate and --seconds must be > 0\n";
    return 1;
  }
  try {
    return run(o);
  } catch (const std::exception& ex) {
    std::cerr << "error: " << ex.what() << "\n";
    return 1;
  }
}
