// pose-inference as a real process on random loopback ports, fed with feature windows that the
// simulator + signal pipeline produced (dataset/episode.h), split back into per-node windows:
// - without a model: /readyz 503 and not one pose frame, whatever arrives;
// - with the shipped model: /readyz 200, pose frames on pose.<first node> with the model version,
//   the body coordinate frame and 17 keypoints per person; the window -> pose latency is printed;
// - hot reload: a corrupt file leaves the old model serving, a valid one is loaded again.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "episode.h"
#include "process.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/bus/topics.h"
#include "wdp/testing/http_get.h"
#include "wdp/v1/pose.pb.h"
#include "wdp/v1/sensing.pb.h"
#include "wdp/testing/temp_dir.h"

namespace wdp::testing {
namespace {
using namespace std::chrono_literals;
namespace fs = std::filesystem;

double metric(std::uint16_t port, const std::string& name) {
  const auto [code, body] = http_request(port, "/metrics");
  std::smatch m;
  if (code != 200 || !std::regex_search(body, m, std::regex("\n" + name + "(\\{[^}]*\\})? ([0-9.e+]+)"))) return -1;
  return std::stod(m[2]);
}

bool wait_status(std::uint16_t port, const std::string& path, int status, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (http_request(port, path).first == status) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

// Per-node windows of a short simulated episode, in publish order.
std::vector<std::pair<std::string, v1::FeatureWindow>> simulated_windows() {
  pose::EpisodeSpec spec{.room_seed = 77, .subject_seed = 5, .script_seed = 9, .duration_s = 14};
  std::vector<std::pair<std::string, v1::FeatureWindow>> out;
  pose::run_episode(spec, [&](const pose::Sample& s) {
    const std::size_t frames = spec.pipeline.feature_frames, links = 3;
    for (std::size_t l = 0; l < links; ++l) {
      v1::FeatureWindow w;
      w.mutable_origin()->set_node_id("esp32-" + std::to_string(l + 1));
      w.mutable_origin()->set_capture_time_ns(static_cast<std::int64_t>(s.t * 1e9));
      w.set_frames(static_cast<std::uint32_t>(frames));
      w.set_links(1);
      w.set_bins(56);
      w.set_channels(2);
      w.set_sample_rate_hz(20);
      for (std::size_t t = 0; t < frames; ++t)
        for (std::size_t k = 0; k < 112; ++k) w.add_values(s.x[(t * links + l) * 112 + k]);
      out.emplace_back(w.origin().node_id(), std::move(w));
    }
  });
  return out;
}

class PoseProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = wdp::testing::fresh_test_dir("wdp-pose");
    in_ = free_port();
    out_ = free_port();
    pub_ = std::make_unique<bus::Publisher>(ctx_, bus::PublisherOptions{.endpoint = "@tcp://127.0.0.1:" + std::to_string(in_)});
    bus::SubscriberOptions so;
    so.endpoints = {">tcp://127.0.0.1:" + std::to_string(out_)};
    sub_ = std::make_unique<bus::Subscriber>(ctx_, so);
    sub_->on<v1::PoseFrame>(bus::topics::pose, [this](const v1::PoseFrame& f, const bus::Delivery& d) {
      frames_.push_back(f);
      topics_.emplace_back(d.topic);
      latency_ms_.push_back(static_cast<double>(d.receive_time_ns - sent_ns_) * 1e-6);
    });
  }
  void TearDown() override {
    service_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }
  void start(const std::vector<std::string>& extra) {
    admin_ = free_port();
    std::vector<std::string> args{"--bus-sub", ">tcp://127.0.0.1:" + std::to_string(in_), "--bus-pub",
                                  "@tcp://127.0.0.1:" + std::to_string(out_), "--admin-port", std::to_string(admin_),
                                  "--reload-poll-ms", "100", "--log-format", "text"};
    args.insert(args.end(), extra.begin(), extra.end());
    service_ = std::make_unique<Process>(std::string(WDP_BIN_DIR) + "/pose-inference", args, "",
                                         (dir_ / "pose.log").string());
    ASSERT_TRUE(wait_status(admin_, "/healthz", 200, 10s)) << "see " << dir_ / "pose.log";
    ASSERT_TRUE(pub_->wait_for_subscriber("features.esp32-1", 10s));
  }
  void publish_all(const std::vector<std::pair<std::string, v1::FeatureWindow>>& windows) {
    for (const auto& [node, w] : windows) {
      sent_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
      pub_->publish(bus::topics::make(bus::topics::features, node), w);
      sub_->poll(2ms);  // one window at a time, so the latency is the service's, not a queue's
    }
    const auto deadline = std::chrono::steady_clock::now() + 1s;
    while (std::chrono::steady_clock::now() < deadline) sub_->poll(20ms);
  }

  fs::path dir_;
  zmq::context_t ctx_{1};
  std::uint16_t in_ = 0, out_ = 0, admin_ = 0;
  std::unique_ptr<bus::Publisher> pub_;
  std::unique_ptr<bus::Subscriber> sub_;
  std::unique_ptr<Process> service_;
  std::vector<v1::PoseFrame> frames_;
  std::vector<std::string> topics_;
  std::vector<double> latency_ms_;
  std::int64_t sent_ns_ = 0;
};

TEST_F(PoseProcessTest, WithoutModelNotReadyAndSilent) {
  start({});
  EXPECT_EQ(http_request(admin_, "/readyz").first, 503);
  publish_all(simulated_windows());
  EXPECT_TRUE(frames_.empty());
  EXPECT_GT(metric(admin_, "wdp_pose_windows_unused_total"), 0);
  EXPECT_EQ(http_request(admin_, "/readyz").first, 503);
}

TEST_F(PoseProcessTest, ServesTheShippedModelAndHotReloads) {
  const fs::path model = dir_ / "model.onnx";
  fs::copy_file(fs::path(WDP_SOURCE_DIR) / "models/pose-default.onnx", model);
  start({"--model", model.string()});
  ASSERT_TRUE(wait_status(admin_, "/readyz", 200, 10s)) << "see " << dir_ / "pose.log";
  const auto windows = simulated_windows();
  publish_all(windows);
  ASSERT_GT(frames_.size(), windows.size() / 3 / 2) << "about one pose frame per joined window";
  std::size_t with_person = 0;
  for (std::size_t i = 0; i < frames_.size(); ++i) {
    EXPECT_EQ(topics_[i], "pose.esp32-1");
    EXPECT_EQ(frames_[i].frame(), v1::COORDINATE_FRAME_BODY_METERS);
    EXPECT_FALSE(frames_[i].model_version().empty());
    for (const auto& p : frames_[i].persons()) {
      EXPECT_EQ(p.keypoints_size(), 17);
      EXPECT_GE(p.track_id(), 1u);
    }
    with_person += frames_[i].persons_size() > 0;
  }
  EXPECT_GT(with_person, 0u);
  auto lat = latency_ms_;
  std::sort(lat.begin(), lat.end());
  std::printf("window -> pose frame over the bus: %zu frames, median %.3f ms, p99 %.3f ms\n", lat.size(),
              lat[lat.size() / 2], lat[std::min(lat.size() - 1, lat.size() * 99 / 100)]);
  EXPECT_GT(metric(admin_, "wdp_pose_inference_seconds_count"), 0);
  EXPECT_EQ(metric(admin_, "wdp_pose_model_loads_total"), 1);

  // Hot reload: a corrupt file is rejected and the old model keeps serving.
  const fs::path tmp = dir_ / "model.tmp";
  { std::ofstream(tmp) << "not a model"; }
  fs::rename(tmp, model);  // atomic replace, as a deploy would do it
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline && metric(admin_, "wdp_pose_model_load_failures_total") < 1)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(metric(admin_, "wdp_pose_model_load_failures_total"), 1);
  EXPECT_EQ(http_request(admin_, "/readyz").first, 200);
  frames_.clear();
  publish_all({windows.begin(), windows.begin() + 30});
  EXPECT_FALSE(frames_.empty()) << "the previous model must keep serving";
  fs::copy_file(fs::path(WDP_SOURCE_DIR) / "models/pose-default.onnx", tmp);
  fs::rename(tmp, model);
  const auto deadline2 = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline2 && metric(admin_, "wdp_pose_model_loads_total") < 2)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(metric(admin_, "wdp_pose_model_loads_total"), 2);
}

}  // namespace
}  // namespace wdp::testing
