// The live pipeline's defaults on two real ESP32-C6 captures (espectre, gain locked, 134 Hz):
// a quiet room must show no presence, a person moving must show presence. No per-file tuning.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "offline.h"
#include "wdp/testing/test_data.h"

namespace wdp::signal {
namespace {

struct Share {
  std::size_t updates = 0, calibrated = 0, present_calibrated = 0;
};

Share presence_share(const std::string& name) {
  std::ostringstream out;
  EXPECT_EQ(run_offline(wdp::testing::csi_test_file(name).string(), "auto", PipelineParams{}, out), 0);
  Share s;
  std::istringstream in(out.str());
  std::string line;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    ++s.updates;
    if (j["calibrated"].get<bool>()) {
      ++s.calibrated;
      s.present_calibrated += j["presence"].get<bool>();
    }
  }
  return s;
}

TEST(Espectre, BaselineIsEmptyAndMovementIsPresent) {
  const auto baseline = presence_share("francescopace_espectre__baseline_c6_64sc_20260310_234819.npz");
  const auto movement = presence_share("francescopace_espectre__movement_c6_64sc_20260310_234839.npz");
  ASSERT_GT(baseline.calibrated, 50u);
  ASSERT_GT(movement.calibrated, 50u);
  const double false_share = double(baseline.present_calibrated) / double(baseline.calibrated);
  const double true_share = double(movement.present_calibrated) / double(movement.calibrated);
  std::printf("baseline: presence on %.1f %% of %zu calibrated updates; movement: %.1f %% of %zu\n", 100 * false_share,
              baseline.calibrated, 100 * true_share, movement.calibrated);
  EXPECT_LE(false_share, 0.01);
  EXPECT_GE(true_share, 0.95);
}

}  // namespace
}  // namespace wdp::signal
