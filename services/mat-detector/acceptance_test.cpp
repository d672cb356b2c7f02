// Short simulator scenarios (faster than real time, csi-sim library, no bus). The long figures
// come from `mat-eval` (README.md).
#include <gtest/gtest.h>

#include <cmath>

#include "sim_scenario.h"

namespace wdp::mat {
namespace {

std::vector<v1::Survivor> survivors_of(const MatDomain& d) {
  std::vector<v1::Survivor> out;
  for (const auto& e : d.snapshot()) if (e.has_survivor()) out.push_back(e.survivor());
  return out;
}

TEST(MatAcceptance, NoCsiNoSurvivor) {
  auto scene = eval::rubble_site({});
  eval::add_survivor(scene, "s1", 3.0, 3.6, 0.6, 12);
  MatDomain domain;
  const auto zone = eval::setup_domain(domain, scene);
  SurvivorDetector det(eval::site_of(scene, sim::make_radio_profile("esp32-ht20")));
  for (std::int64_t t = 0; t < 600; t += 5) {
    EXPECT_FALSE(det.scan(zone, t * 1'000'000'000));  // nothing to scan: no cycle, no observation
    domain.tick(t * 1'000'000'000);
  }
  EXPECT_EQ(domain.survivor_count(), 0u);
  // A whole run with every packet lost is the same.
  eval::run(scene, {.duration_s = 120, .packet_loss = 1.0}, {}, domain, nullptr);
  EXPECT_TRUE(survivors_of(domain).empty());
}

TEST(MatAcceptance, OneSurvivorOneTrackAcrossTenMinutesWithDropouts) {
  auto scene = eval::rubble_site({.attenuation_db_per_m = 2});
  eval::add_survivor(scene, "s1", 3.0, 3.6, 0.6, 14);
  MatDomain domain;
  eval::setup_domain(domain, scene);
  std::size_t max_live = 0;
  eval::run(scene, {.duration_s = 600, .packet_loss = 0.05, .outages = {{150, 200}, {380, 420}}}, {}, domain,
            [&](const ScanResult&, MatDomain& d) { max_live = std::max(max_live, d.survivor_count()); });
  const auto s = survivors_of(domain);
  ASSERT_EQ(s.size(), 1u) << "tracks multiplied";
  EXPECT_EQ(max_live, 1u);
  // Detection at this SNR is intermittent: the one track may be between re-identifications.
  EXPECT_TRUE(s[0].state() == v1::TRACK_STATE_ACTIVE || s[0].state() == v1::TRACK_STATE_LOST) << s[0].state();
  EXPECT_EQ(s[0].triage(), v1::TRIAGE_CLASS_IMMEDIATE);  // RR 10–30, no movement: unresponsive
  ASSERT_FALSE(s[0].vitals().empty());
  EXPECT_NEAR(s[0].vitals(s[0].vitals_size() - 1).breathing_bpm(), 14, 1.5);
}

TEST(MatAcceptance, EmptyRubbleWithRescuersWalkingGivesNoSurvivor) {
  auto scene = eval::rubble_site({.attenuation_db_per_m = 2, .seed = 3, .rescuers = 2});
  MatDomain domain;
  eval::setup_domain(domain, scene);
  eval::run(scene, {.duration_s = 300, .seed = 3}, {}, domain, nullptr);
  EXPECT_TRUE(survivors_of(domain).empty());
}

TEST(MatAcceptance, ScriptedRatesAtTheBandEdgesAreImmediate) {
  for (double bpm : {9.0, 28.0}) {
    auto scene = eval::rubble_site({.attenuation_db_per_m = 1.5, .seed = 2});
    eval::add_survivor(scene, "s1", 3.0, 3.6, 0.6, bpm);
    MatDomain domain;
    eval::setup_domain(domain, scene);
    eval::run(scene, {.duration_s = 150, .seed = 2}, {}, domain, nullptr);
    const auto s = survivors_of(domain);
    ASSERT_EQ(s.size(), 1u) << bpm << " BPM";
    EXPECT_EQ(s[0].triage(), v1::TRIAGE_CLASS_IMMEDIATE) << bpm << " BPM";  // < 10 and 10–30 unresponsive
    EXPECT_NEAR(s[0].vitals(s[0].vitals_size() - 1).breathing_bpm(), bpm, 1.5);
  }
}

}  // namespace
}  // namespace wdp::mat
