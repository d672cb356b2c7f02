#include "ingest/frame_pipeline.h"

#include <gtest/gtest.h>

namespace wdp::ingest {
namespace {

v1::CsiFrame frame(const std::string& node, std::uint64_t seq, v1::SourceFormat fmt = v1::SOURCE_FORMAT_INTEL5300) {
  v1::CsiFrame f;
  f.set_node_id(node);
  f.set_source_format(fmt);
  f.set_sequence(seq);
  f.set_has_sequence(true);
  return f;
}

double metric(const metrics::Registry& r, const std::string& line_prefix) {
  const auto text = r.render();
  const auto pos = text.find("\n" + line_prefix + " ");  // a sample line, not the # HELP line
  return pos == std::string::npos ? -1 : std::stod(text.substr(pos + line_prefix.size() + 2));
}

TEST(FramePipeline, PublishesPerNodeTopicWithGapFreeIngestSequence) {
  metrics::Registry reg;
  RejectCounter rejects(reg);
  std::vector<std::pair<std::string, std::uint64_t>> out;
  FramePipeline p({}, reg, rejects, [&](const std::string& t, const v1::CsiFrame& f) {
    out.emplace_back(t, f.ingest_sequence());
    return true;
  });
  for (std::uint64_t s : {5, 6, 9, 7, 7}) {
    auto f = frame("nic-a", s);
    p.process(f, "intel5300", "", 0);
  }
  auto esp = frame("esp32-1", 100, v1::SOURCE_FORMAT_ESP32_UDP);
  p.process(esp, "esp32-udp", "10.0.0.5", 0);
  auto esp2 = frame("esp32-1", 110, v1::SOURCE_FORMAT_ESP32_UDP);
  p.process(esp2, "esp32-udp", "10.0.0.5", 0);

  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0].first, "csi.raw.nic-a");
  EXPECT_EQ(out[4].second, 4u);  // csi-ingest's own counter has no gaps
  EXPECT_EQ(out[6].first, "csi.raw.esp32-1");
  EXPECT_EQ(out[6].second, 1u);
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_node_lost_total{node=\"nic-a\"}"), 2);  // 7, 8 at the time of 9
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_node_reordered_total{node=\"nic-a\"}"), 1);
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_node_duplicates_total{node=\"nic-a\"}"), 1);
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_node_lost_total{node=\"esp32-1\"}"), 0);
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_node_sensor_skipped_total{node=\"esp32-1\"}"), 9);
}

TEST(FramePipeline, RateLimitAndFullQueueAreCounted) {
  metrics::Registry reg;
  RejectCounter rejects(reg);
  bool queue_full = false;
  FramePipeline p({.rate_limit_per_node = 10, .rate_limit_burst = 2}, reg, rejects,
                  [&](const std::string&, const v1::CsiFrame&) { return !queue_full; });
  int published = 0;
  for (int i = 0; i < 5; ++i) {
    auto f = frame("n", i);
    published += p.process(f, "intel5300", "", 1'000'000'000);
  }
  EXPECT_EQ(published, 2);
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_rejects_total{source=\"intel5300\",reason=\"rate_limited\"}"), 3);
  queue_full = true;
  auto f = frame("n", 9);
  EXPECT_FALSE(p.process(f, "intel5300", "", 2'000'000'000));
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_publish_drops_total"), 1);
}

// The two-step form the UDP batch uses: same topic, gap-free ingest_sequence and counters.
TEST(FramePipeline, AdmitThenFinishKeepsTheSameBookkeeping) {
  metrics::Registry reg;
  RejectCounter rejects(reg);
  FramePipeline p({.rate_limit_per_node = 10, .rate_limit_burst = 2}, reg, rejects,
                  [](const std::string&, const v1::CsiFrame&) { return true; });
  const std::string node = "esp32-4";
  const std::string origin("\x0a\x00\x00\x05", 4);
  auto a = p.admit({node, v1::SOURCE_FORMAT_ESP32_UDP, true, 7}, "esp32-udp", origin, 0);
  ASSERT_TRUE(a);
  EXPECT_EQ(p.topic(), "csi.raw.esp32-4");
  auto b = p.admit({node, v1::SOURCE_FORMAT_ESP32_UDP, true, 9}, "esp32-udp", origin, 0);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->ingest_sequence, 0u);
  EXPECT_EQ(b->ingest_sequence, 1u);
  EXPECT_FALSE(p.admit({node, v1::SOURCE_FORMAT_ESP32_UDP, true, 10}, "esp32-udp", origin, 0));  // burst of 2 spent
  EXPECT_TRUE(p.finish(*a, true));
  EXPECT_FALSE(p.finish(*b, false));
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_node_frames_total{node=\"esp32-4\"}"), 1);
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_publish_drops_total"), 1);
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_node_sensor_skipped_total{node=\"esp32-4\"}"), 1);  // 8: rate limiter gap
  EXPECT_EQ(metric(reg, "wdp_csi_ingest_rejects_total{source=\"esp32-udp\",reason=\"rate_limited\"}"), 1);
}

}  // namespace
}  // namespace wdp::ingest
