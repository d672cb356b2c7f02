// pose-infer over recorder recordings. A short csi-sim episode (3 nodes, one person) is written
// with the recorder's RecordingStore as a live recording would hold it: csi.raw.<node> frames and
// gt.<scene> ground truth every 0.1 s, and in a second recording also the features.<node> windows
// that signal-processor publishes.
// - the pose-infer binary turns the CSI recording into predictions and truth JSON that the schema
//   validator (training/validate_predictions.py) accepts, with one pose frame per 0.5 s window
//   step, finite keypoints of a body's height and person scores; pose-eval scores them;
// - the feature windows, when recorded, are used directly and give the same poses;
// - a directory that is neither a dataset nor a recording is refused with a clear error.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "frame_encoding.h"
#include "ground_truth.h"
#include "model_watcher.h"
#include "predictions_io.h"
#include "process.h"
#include "recording_poses.h"
#include "recording_store.h"
#include "recording_truth.h"
#include "scene_sampler.h"
#include "sensing_messages.h"
#include "signal_processor.h"
#include "simulator.h"
#include "wdp/v1/sensing.pb.h"
#include "wdp/testing/temp_dir.h"

namespace wdp::pose {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr double kDuration = 12;  // s of simulated time
const fs::path kModel = fs::path(WDP_SOURCE_DIR) / "models/pose-default.onnx";

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Records a simulated episode into a new session under dir; returns the session directory.
// with_features: also record the windows signal-processor would publish for these frames.
fs::path record_episode(const fs::path& dir, bool with_features) {
  recorder::RecordingStore store({.dir = dir});
  auto session = store.start_session("pose-test", {}, {"csi.raw.", "features.", "gt."}, false);
  if (!session) throw std::runtime_error(session.error());
  sim::Scene scene = sample_room(77);
  scene.people.push_back(sample_person(scene, sample_subject(5), 9, kDuration));
  sim::Simulator simulator(std::move(scene), {.rate_hz = 50, .seed = 9});
  std::uint64_t seq = 0;
  auto append = [&](const std::string& topic, const google::protobuf::Message& m, std::int64_t t_ns) {
    const std::string bytes = m.SerializeAsString();
    auto r = store.append({topic, 1, ++seq, t_ns, t_ns, std::as_bytes(std::span<const char>(bytes))});
    if (!r) throw std::runtime_error(r.error());
  };
  std::map<std::string, std::unique_ptr<signal::LinkPipeline>> links;
  v1::CsiFrame frame;
  double next_truth = 0;
  while (simulator.time_s() < kDuration) {
    if (const double t = simulator.time_s(); t >= next_truth) {  // as csi-sim publishes gt.<scene>
      auto gt = sim::make_ground_truth(simulator, t);
      gt.mutable_origin()->set_capture_time_ns(static_cast<std::int64_t>(t * 1e9));
      append("gt.test", gt, gt.origin().capture_time_ns());
      next_truth += 0.1;
    }
    for (const auto& f : simulator.step()) {
      if (f.packet.lost) continue;
      const auto t_ns = static_cast<std::int64_t>(f.time_s * 1e9);
      sim::to_csi_frame(simulator, f, t_ns, frame);
      append("csi.raw." + frame.node_id(), frame, t_ns);
      if (!with_features) continue;
      auto& link = links[frame.node_id()];
      if (!link) {
        link = std::make_unique<signal::LinkPipeline>(
            signal::PipelineParams{}, [](const signal::SensingResult&) {},
            [&, node = frame.node_id()](const signal::FeatureWindowResult& r) {
              v1::FeatureWindow w;
              signal::to_proto(r, 20, w);
              w.mutable_origin()->set_node_id(node);
              w.mutable_origin()->set_capture_time_ns(static_cast<std::int64_t>(r.t * 1e9));
              append("features." + node, w, w.origin().capture_time_ns());
            });
      }
      link->push(frame, signal::frame_time_s(frame));  // the clock signal-processor uses
    }
  }
  if (auto stopped = store.stop_session(""); !stopped) throw std::runtime_error(stopped.error());
  return store.session_dir(session->id);
}

class RecordingInferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = wdp::testing::fresh_test_dir("wdp-pose-rec");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs pose-infer; returns its exit code and leaves its stderr in dir_/stderr.txt.
  int pose_infer(const std::vector<std::string>& args) {
    testing::Process p(std::string(WDP_BIN_DIR) + "/pose-infer", args, "", (dir_ / "stderr.txt").string());
    const auto rc = p.wait(120s);
    return rc ? *rc : -1000;
  }

  fs::path dir_;
};

TEST_F(RecordingInferTest, CsiRecordingGivesValidNonTrivialPredictions) {
  const fs::path session = record_episode(dir_ / "recordings", false);
  const fs::path pred = dir_ / "pred.json", truth = dir_ / "truth.json";
  ASSERT_EQ(pose_infer({"--model", kModel.string(), "--input", session.string(), "--output", pred.string(),
                        "--truth-output", truth.string()}),
            0)
      << read_text(dir_ / "stderr.txt");
  std::printf("%s", read_text(dir_ / "stderr.txt").c_str());
  const std::string validator = std::string(WDP_SOURCE_DIR) + "/training/validate_predictions.py";
  testing::Process check("/usr/bin/python3", {validator, pred.string(), truth.string()});
  EXPECT_EQ(check.wait(60s), 0) << "schema validation failed";

  // The recorded ground truth scores the predictions: every frame has its truth (csi-sim's 0.1 s
  // records), the person is found, and the joints are where a body's are (not metres off).
  testing::Process eval(std::string(WDP_BIN_DIR) + "/pose-eval", {"--pred", pred.string(), "--truth", truth.string()},
                        (dir_ / "eval.json").string());
  ASSERT_EQ(eval.wait(60s), 0);
  const auto scores = nlohmann::json::parse(read_text(dir_ / "eval.json"));
  std::printf("pose-eval: %s\n", scores.dump().c_str());
  EXPECT_EQ(scores.at("frames").get<std::size_t>(), read_predictions(pred).frames.size());
  EXPECT_GT(scores.at("matched").get<double>(), 0);
  EXPECT_LT(scores.at("mpjpe_m").get<double>(), 0.5);

  const auto file = read_predictions(pred);
  EXPECT_EQ(file.coordinate_frame, "body");
  EXPECT_FALSE(file.model_version.empty());
  // A window per step: 64 grid samples (3.2 s at 20 Hz) fill the first, then one every 10 (0.5 s);
  // the node order is fixed once all 3 nodes have sent a window, so the first step may be lost.
  ASSERT_GE(file.frames.size(), 15u);
  EXPECT_LE(file.frames.size(), 18u);
  EXPECT_GE(file.frames.front().t, 3.2);
  EXPECT_LE(file.frames.front().t, 3.2 + 2 * 0.5 + 0.1);
  EXPECT_GT(file.frames.back().t, kDuration - 1.0);
  std::size_t with_person = 0;
  for (std::size_t i = 0; i < file.frames.size(); ++i) {
    const auto& f = file.frames[i];
    EXPECT_EQ(f.index, i);
    EXPECT_EQ(f.node, "esp32-1");
    EXPECT_GE(f.latency_ms, 0);
    if (i > 0) {
      EXPECT_NEAR(f.t - file.frames[i - 1].t, 0.5, 0.06) << "frame " << i;
    }
    ASSERT_LE(f.persons.size(), 1u);  // the model's K = 1
    for (const auto& p : f.persons) {
      ++with_person;
      EXPECT_GE(p.score, 0.5);
      EXPECT_LE(p.score, 1.0);
      EXPECT_GT(p.track_id, 0u);
      float zmin = 1e9f, zmax = -1e9f;
      for (const auto& k : p.keypoints) {
        for (float v : k) ASSERT_TRUE(std::isfinite(v));
        EXPECT_GE(k[3], 0.0f);
        EXPECT_LE(k[3], 1.0f);
        zmin = std::min(zmin, k[2]);
        zmax = std::max(zmax, k[2]);
      }
      EXPECT_GT(zmax - zmin, 0.5f) << "keypoints of frame " << i << " are not a standing body's height";
    }
  }
  EXPECT_GE(with_person, file.frames.size() / 2) << "the simulated person is in the room throughout";
}

TEST_F(RecordingInferTest, RecordedFeatureWindowsAreUsedDirectlyAndGiveTheSamePoses) {
  const fs::path session = record_episode(dir_ / "recordings", true);
  const recorder::RecordingSource source(session);
  ASSERT_TRUE(has_feature_windows(source));
  const auto model = load_model(kModel);
  auto run = [&](RecordingInput input) {
    std::vector<StageOutput> poses;
    const auto stats = run_recording(source, model, {.input = input}, [&](const StageOutput& o) { poses.push_back(o); });
    return std::make_pair(stats, poses);
  };
  const auto [fstats, from_features] = run(RecordingInput::automatic);
  const auto [cstats, from_csi] = run(RecordingInput::csi);
  EXPECT_EQ(fstats.input, "features");
  EXPECT_EQ(fstats.csi_frames, 0u);
  EXPECT_EQ(cstats.input, "csi");
  EXPECT_GT(cstats.csi_frames, 1000u);
  EXPECT_EQ(fstats.windows, cstats.windows);
  ASSERT_GE(from_features.size(), 15u);
  ASSERT_EQ(from_features.size(), from_csi.size());
  for (std::size_t i = 0; i < from_csi.size(); ++i) {
    EXPECT_DOUBLE_EQ(from_features[i].t, from_csi[i].t);
    ASSERT_EQ(from_features[i].frame.persons_size(), from_csi[i].frame.persons_size());
    for (int p = 0; p < from_csi[i].frame.persons_size(); ++p)
      for (int j = 0; j < 17; ++j) {
        EXPECT_EQ(from_features[i].frame.persons(p).keypoints(j).x(), from_csi[i].frame.persons(p).keypoints(j).x());
        EXPECT_EQ(from_features[i].frame.persons(p).keypoints(j).z(), from_csi[i].frame.persons(p).keypoints(j).z());
      }
  }
}

TEST_F(RecordingInferTest, RefusesADirectoryThatIsNeitherDatasetNorRecording) {
  fs::create_directories(dir_ / "empty");
  EXPECT_EQ(pose_infer({"--model", kModel.string(), "--input", (dir_ / "empty").string(), "--output",
                        (dir_ / "p.json").string()}),
            1);
  EXPECT_NE(read_text(dir_ / "stderr.txt").find("neither a pose-dataset (X.npy) nor a recording"), std::string::npos)
      << read_text(dir_ / "stderr.txt");
  EXPECT_FALSE(fs::exists(dir_ / "p.json"));
  EXPECT_THROW(parse_recording_input("raw"), std::invalid_argument);
}

TEST_F(RecordingInferTest, TruthIsTheNearestGroundTruthRecordWithinTheTolerance) {
  recorder::RecordingStore store({.dir = dir_ / "recordings"});
  auto session = store.start_session("gt", {}, {"gt."}, false);
  ASSERT_TRUE(session);
  for (int i = 0; i < 3; ++i) {  // t = 1.0, 1.1, 1.2 s; person 7 present only in the second
    v1::GroundTruth gt;
    gt.mutable_origin()->set_capture_time_ns(1'000'000'000 + i * 100'000'000);
    auto* p = gt.add_persons();
    p->set_person_id(7);
    p->set_present(i == 1);
    for (int j = 0; j < 17; ++j) {
      auto* k = p->add_keypoints();
      k->set_x(1.0f + 0.01f * float(j));
      k->set_y(2.0f);
      k->set_z(0.1f * float(j));
    }
    const std::string bytes = gt.SerializeAsString();
    ASSERT_TRUE(store.append({"gt.test", 1, std::uint64_t(i), gt.origin().capture_time_ns(), 0,
                              std::as_bytes(std::span<const char>(bytes))}));
  }
  ASSERT_TRUE(store.stop_session(""));
  const RecordingTruth truth(recorder::RecordingSource(store.session_dir(session->id)));
  ASSERT_EQ(truth.size(), 3u);
  auto at = [&](double t) {
    const auto* gt = truth.nearest(t, 0.05);
    return gt ? gt->origin().capture_time_ns() : -1;
  };
  EXPECT_EQ(at(1.04), 1'000'000'000);
  EXPECT_EQ(at(1.06), 1'100'000'000);
  EXPECT_EQ(at(0.96), 1'000'000'000);
  EXPECT_EQ(at(1.26), -1);
  EXPECT_EQ(at(0.5), -1);
  const auto* second = truth.nearest(1.1, 0.05);
  const auto room = truth_frame(*second, 4, 1.1, "room");
  EXPECT_EQ(room.index, 4u);
  ASSERT_EQ(room.persons.size(), 1u);
  EXPECT_EQ(room.persons[0].track_id, 7u);
  EXPECT_FLOAT_EQ(room.persons[0].keypoints[16][0], 1.16f);
  EXPECT_FLOAT_EQ(room.persons[0].keypoints[16][2], 1.6f);
  EXPECT_EQ(room.persons[0].keypoints[16][3], 2.0f);
  EXPECT_TRUE(truth_frame(*truth.nearest(1.0, 0.05), 0, 1.0, "room").persons.empty());  // not present
  EXPECT_THROW(truth_frame(*second, 0, 1.1, "image"), std::invalid_argument);
}

}  // namespace
}  // namespace wdp::pose
