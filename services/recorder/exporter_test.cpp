// Export to .npy and replay pacing, on a recording built with the store.
#include "exporter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "npy_writer.h"
#include "recording_store.h"
#include "replayer.h"
#include "wdp/v1/csi_frame.pb.h"
#include "wdp/v1/ground_truth.pb.h"
#include "wdp/testing/temp_dir.h"

namespace wdp::recorder {
namespace {

namespace fs = std::filesystem;
constexpr std::int64_t kMs = 1'000'000;

v1::CsiFrame frame(const std::string& node, std::uint64_t seq, std::uint32_t bins) {
  v1::CsiFrame f;
  f.set_node_id(node);
  f.set_sequence(seq);
  f.set_n_rx(1);
  f.set_n_tx(1);
  f.set_n_bins(bins);
  f.set_sample_type(v1::SAMPLE_TYPE_INT8);
  f.set_scale(1);
  std::string s;
  for (std::uint32_t b = 0; b < bins; ++b) {
    s.push_back(3);                             // re
    s.push_back(static_cast<char>(b % 2 ? 4 : 0));  // im: |H| = 5 on odd bins, 3 on even
  }
  f.set_samples(s);
  f.set_rssi_valid(true);
  f.add_rssi_dbm(-40 - static_cast<int>(seq));
  return f;
}

v1::GroundTruth truth(float x) {
  v1::GroundTruth g;
  g.set_scene("room");
  auto* p = g.add_persons();
  p->set_person_id(7);
  p->set_present(true);
  for (int j = 0; j < 17; ++j) {
    auto* k = p->add_keypoints();
    k->set_x(x);
    k->set_y(static_cast<float>(j));
    k->set_z(1.5f);
  }
  return g;
}

template <class T>
std::vector<T> load(const fs::path& p) {
  const auto info = read_npy_info(p);
  std::ifstream in(p, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(info.data_offset));
  std::vector<T> v((fs::file_size(p) - info.data_offset) / sizeof(T));
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
  return v;
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = wdp::testing::fresh_test_dir("wdp-export");
    StoreOptions o;
    o.dir = dir_ / "rec";
    o.wall_clock = [this] { return t_; };
    RecordingStore store(o);
    id_ = store.start_session("walk", {{"activity", "walking"}}, {"csi.raw.", "gt."}, false)->id;
    auto put = [&](const std::string& topic, const google::protobuf::MessageLite& m) {
      const std::string bytes = m.SerializeAsString();
      ASSERT_TRUE(store.append({topic, 1, 0, t_, t_, std::as_bytes(std::span<const char>(bytes))}));
    };
    // 10 frames per node every 10 ms; ground truth every 50 ms; one frame with another geometry.
    for (int i = 0; i < 10; ++i) {
      if (i % 5 == 0) put("gt.room", truth(static_cast<float>(i)));
      put("csi.raw.a", frame("a", static_cast<std::uint64_t>(i), 8));
      put("csi.raw.site/b", frame("site/b", static_cast<std::uint64_t>(i), 4));
      t_ += 10 * kMs;
    }
    put("csi.raw.a", frame("a", 99, 16));
    put("hb.other", truth(0));
    store.stop_session({});
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string id_;
  std::int64_t t_ = 1'700'000'000'000'000'000;
};

TEST_F(ExportTest, WritesTheDocumentedLayout) {
  RecordingSource src(RecordingSource::resolve({}, dir_ / "rec", id_));
  ExportOptions o;
  o.out = dir_ / "out";
  o.gt_tolerance_s = 0.02;
  std::uint64_t last_progress = 0;
  const auto res = export_recording(src, o, [&](std::uint64_t n) { last_progress = n; });
  EXPECT_EQ(last_progress, 24u);
  EXPECT_EQ(res.gt_records, 2u);
  EXPECT_EQ(res.skipped_geometry, 1u);
  EXPECT_EQ(res.other_records, 1u);
  ASSERT_EQ(res.nodes.size(), 2u);
  EXPECT_EQ(res.nodes.at("site/b").folder, "site_b");

  const auto a = o.out / "nodes" / "a";
  EXPECT_EQ(read_npy_info(a / "csi_amplitude.npy").shape, (std::vector<std::size_t>{10, 1, 1, 8}));
  EXPECT_EQ(read_npy_info(a / "csi_phase.npy").shape, (std::vector<std::size_t>{10, 1, 1, 8}));
  EXPECT_EQ(read_npy_info(a / "timestamps_ns.npy").shape, (std::vector<std::size_t>{10}));
  EXPECT_EQ(read_npy_info(a / "rssi_dbm.npy").shape, (std::vector<std::size_t>{10, 1}));
  EXPECT_EQ(read_npy_info(a / "subcarrier_index.npy").shape, (std::vector<std::size_t>{8}));
  EXPECT_EQ(read_npy_info(a / "gt_keypoints.npy").shape, (std::vector<std::size_t>{10, 1, 17, 3}));
  EXPECT_EQ(read_npy_info(o.out / "nodes" / "site_b" / "csi_amplitude.npy").shape, (std::vector<std::size_t>{10, 1, 1, 4}));
  EXPECT_EQ(read_npy_info(o.out / "ground_truth" / "keypoints.npy").shape, (std::vector<std::size_t>{2, 1, 17, 3}));

  const auto amp = load<float>(a / "csi_amplitude.npy");
  EXPECT_FLOAT_EQ(amp[0], 3.0f);
  EXPECT_FLOAT_EQ(amp[1], 5.0f);
  const auto phase = load<float>(a / "csi_phase.npy");
  EXPECT_NEAR(phase[1], std::atan2(4.0, 3.0), 1e-6);
  const auto seq = load<std::uint64_t>(a / "sequence.npy");
  EXPECT_EQ(seq[9], 9u);
  EXPECT_FLOAT_EQ(load<float>(a / "rssi_dbm.npy")[2], -42.0f);
  // Frames every 10 ms, ground truth at 0 and 50 ms, tolerance 20 ms: nearest row, or none.
  const auto gi = load<std::int32_t>(a / "gt_index.npy");
  EXPECT_EQ(gi, (std::vector<std::int32_t>{0, 0, 0, 1, 1, 1, 1, 1, -1, -1}));
  const auto kp = load<float>(a / "gt_keypoints.npy");
  EXPECT_FLOAT_EQ(kp[(4 * 17 + 2) * 3 + 0], 5.0f);  // frame 4 -> gt x = 5
  EXPECT_FLOAT_EQ(kp[(4 * 17 + 2) * 3 + 1], 2.0f);
  EXPECT_TRUE(std::isnan(kp[(9 * 17) * 3]));

  std::ifstream in(o.out / "meta.json");
  const auto meta = nlohmann::json::parse(in);
  EXPECT_EQ(meta["name"], "walk");
  EXPECT_EQ(meta["labels"]["activity"], "walking");
  EXPECT_EQ(meta["nodes"]["a"]["frames"], 10);
}

TEST_F(ExportTest, ReplayKeepsOrderAndPacesByPublishTime) {
  RecordingSource src(RecordingSource::resolve({}, dir_ / "rec", id_));
  std::vector<std::string> topics;
  auto collect = [&](std::string_view t, std::span<const std::byte>) {
    topics.emplace_back(t);
    return true;
  };
  ReplayOptions fast;
  fast.as_fast_as_possible = true;
  const auto r1 = Replayer(src, fast).run(collect, {}, [] { return false; });
  EXPECT_EQ(r1.sent, 24u);
  const auto first = topics;
  topics.clear();
  ReplayOptions timed;
  timed.speed = 2;  // 100 ms of recording in ~50 ms
  timed.topics = {"csi.raw."};
  const auto r2 = Replayer(src, timed).run(collect, {}, [] { return false; });
  EXPECT_EQ(r2.sent, 21u);
  EXPECT_EQ(r2.skipped, 3u);
  EXPECT_GE(r2.seconds, 0.045);
  EXPECT_LT(r2.seconds, 0.5);
  std::vector<std::string> first_csi;
  for (const auto& t : first) {
    if (t.starts_with("csi.raw.")) first_csi.push_back(t);
  }
  EXPECT_EQ(topics, first_csi);  // same order every time
}

}  // namespace
}  // namespace wdp::recorder
