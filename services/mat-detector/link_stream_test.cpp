// LinkStream against the simulator: a static scene leaves no residual whatever the per-packet
// CFO, STO and AGC; output slots follow sensor time, and outages become gap samples.
#include <gtest/gtest.h>

#include <cmath>

#include "frame_encoding.h"
#include "link_stream.h"
#include "sim_scenario.h"

namespace wdp::mat {
namespace {

TEST(MatLinkStream, StaticSceneLeavesNoResidualDespiteCfoStoAndAgc) {
  auto scene = eval::rubble_site({.nodes = 4});
  sim::SimOptions so;
  so.rate_hz = 20;
  so.hardware.snr_db = 300;  // no thermal noise: impairments and int8 quantization only
  sim::Simulator sim(scene, so);
  std::vector<LinkStream> ls(12);
  v1::CsiFrame f;
  for (int i = 0; i < 200; ++i) {
    const auto& frames = sim.step();
    ASSERT_EQ(frames.size(), ls.size());
    for (std::size_t l = 0; l < frames.size(); ++l) {
      sim::to_csi_frame(sim, frames[l], 1'700'000'000'000'000'000 + static_cast<std::int64_t>(1e9 * frames[l].time_s), f);
      ASSERT_TRUE(ls[l].push(f));
    }
  }
  for (std::size_t l = 0; l < ls.size(); ++l) {
    ASSERT_GE(ls[l].samples().size(), 90u);
    double worst = 0;
    for (const auto& s : ls[l].samples()) {
      EXPECT_FALSE(s.gap);
      for (auto g : s.groups) worst = std::max(worst, static_cast<double>(std::abs(g)));
    }
    EXPECT_LT(worst, 0.05) << "link " << l;  // quantization: ~1/40 per value, averaged over 8 bins
  }
}

TEST(MatLinkStream, MissingSlotsBecomeGaps) {
  LinkStream ls({.rate_hz = 10});
  std::vector<std::complex<double>> h = {{1, 0}, {0.5, 0.5}, {0, 1}, {0.2, -0.4}};
  std::vector<double> idx = {1, 2, 3, 4};
  ls.push_values(0, h, idx);
  ls.push_values(100'000'000, h, idx);   // slot 1
  ls.push_values(500'000'000, h, idx);   // slot 5: slots 2..4 missing
  ASSERT_EQ(ls.samples().size(), 5u);    // slots 0..4 out; 5 is accumulating
  EXPECT_FALSE(ls.samples()[0].gap);
  EXPECT_FALSE(ls.samples()[1].gap);
  EXPECT_TRUE(ls.samples()[2].gap);
  EXPECT_TRUE(ls.samples()[4].gap);
  EXPECT_EQ(ls.samples()[3].time_ns, 300'000'000);
}

}  // namespace
}  // namespace wdp::mat
