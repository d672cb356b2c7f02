#include "wdp/metrics/registry.h"

#include <gtest/gtest.h>

namespace wdp::metrics {

TEST(Registry, RendersPrometheusTextFormat) {
  Registry r;
  auto& c = r.counter("wdp_test_frames_total", "Frames", {{"node", "a\"b"}});
  c.inc(3);
  r.gauge("wdp_test_level", "Level").set(0.5);
  auto& h = r.histogram("wdp_test_latency_seconds", "Latency", {0.1, 1.0});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(7);
  r.counter_fn("wdp_test_fn_total", "Fn", {}, [] { return 42.0; });
  const std::string text = r.render();
  EXPECT_NE(text.find("# TYPE wdp_test_frames_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("wdp_test_frames_total{node=\"a\\\"b\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("wdp_test_level 0.5\n"), std::string::npos);
  EXPECT_NE(text.find("wdp_test_latency_seconds_bucket{le=\"0.10000000000000001\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("wdp_test_latency_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("wdp_test_latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("wdp_test_latency_seconds_sum 7.5499999999999998\n"), std::string::npos);
  EXPECT_NE(text.find("wdp_test_latency_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("wdp_test_fn_total 42\n"), std::string::npos);
}

TEST(Registry, SameNameDifferentTypeIsAnError) {
  Registry r;
  r.counter("x", "x");
  EXPECT_THROW(r.gauge("x", "x"), std::logic_error);
}

TEST(Histogram, RejectsUnsortedBounds) { EXPECT_THROW(Histogram({1.0, 0.5}), std::invalid_argument); }

}  // namespace wdp::metrics
