// Domain rules with hand-computed cases: zone geometry, START triage, track lifecycle, alerts,
// and the aggregate's commands, confirmation and snapshot round trip.
#include <gtest/gtest.h>

#include "alerts.h"
#include "mat_domain.h"
#include "track.h"
#include "triage.h"
#include "zone_shape.h"

namespace wdp::mat {
namespace {

constexpr std::int64_t kS = 1'000'000'000;

v1::ScanZone rect(double x0, double y0, double x1, double y1) {
  v1::ScanZone z;
  z.mutable_rectangle()->mutable_min()->set_x_m(x0);
  z.mutable_rectangle()->mutable_min()->set_y_m(y0);
  z.mutable_rectangle()->mutable_max()->set_x_m(x1);
  z.mutable_rectangle()->mutable_max()->set_y_m(y1);
  return z;
}

TEST(MatZoneShape, RectangleCirclePolygon) {
  const auto r = rect(0, 0, 4, 2);
  EXPECT_TRUE(zone_contains(r, 4, 2));  // boundary is inside
  EXPECT_FALSE(zone_contains(r, 4.01, 1));
  EXPECT_DOUBLE_EQ(zone_area_m2(r), 8.0);
  v1::ScanZone c;
  c.mutable_circle()->mutable_center()->set_x_m(1);
  c.mutable_circle()->set_radius_m(2);
  EXPECT_TRUE(zone_contains(c, 2.9, 0));
  EXPECT_FALSE(zone_contains(c, 2.5, 1.5));  // distance √(1.5² + 1.5²) = 2.12
  // L-shaped polygon: (0,0) (4,0) (4,1) (1,1) (1,3) (0,3); area 4 + 2 = 6 by the shoelace formula.
  v1::ScanZone p;
  for (auto [x, y] : {std::pair{0., 0.}, {4., 0.}, {4., 1.}, {1., 1.}, {1., 3.}, {0., 3.}}) {
    auto* v = p.mutable_polygon()->add_vertices();
    v->set_x_m(x), v->set_y_m(y);
  }
  EXPECT_DOUBLE_EQ(zone_area_m2(p), 6.0);
  EXPECT_TRUE(zone_contains(p, 0.5, 2.5));
  EXPECT_TRUE(zone_contains(p, 3.5, 0.5));
  EXPECT_FALSE(zone_contains(p, 2.0, 2.0));  // the notch
  EXPECT_EQ(zone_shape_error(p), "");
  EXPECT_NE(zone_shape_error(rect(1, 0, 0, 1)), "");
  EXPECT_NE(zone_shape_error(v1::ScanZone{}), "");
}

v1::VitalSample vs(double t_s, double rr, v1::MovementClass mv = v1::MOVEMENT_CLASS_NONE, double hr = 0, double conf = 0.9) {
  v1::VitalSample s;
  s.set_time_ns(static_cast<std::int64_t>(t_s * kS));
  s.set_breathing_bpm(rr);
  s.set_breathing_confidence(rr > 0 ? conf : 0);
  s.set_heart_bpm(hr);
  s.set_heart_confidence(hr > 0 ? conf : 0);
  s.set_movement(mv);
  return s;
}

v1::TriageClass triage_of(const std::vector<v1::VitalSample>& h, double now_s, double last_vital_s = -1,
                          v1::TriageClass prev = v1::TRIAGE_CLASS_UNKNOWN) {
  std::int64_t last = last_vital_s < 0 ? (h.empty() ? 0 : h.back().time_ns()) : static_cast<std::int64_t>(last_vital_s * kS);
  return assess_triage({.history = h, .now_ns = static_cast<std::int64_t>(now_s * kS), .last_vital_ns = last, .previous = prev}).triage;
}

TEST(MatTriage, RuleTable) {
  using enum v1::MovementClass;
  // No usable evidence → Unknown, never Deceased.
  EXPECT_EQ(triage_of({}, 10), v1::TRIAGE_CLASS_UNKNOWN);
  // RR 10–30: unresponsive (none or tremor) → Immediate; periodic → Delayed; voluntary → Minor.
  EXPECT_EQ(triage_of({vs(1, 14), vs(6, 14), vs(11, 14)}, 12), v1::TRIAGE_CLASS_IMMEDIATE);
  EXPECT_EQ(triage_of({vs(1, 14, MOVEMENT_CLASS_TREMOR), vs(6, 14, MOVEMENT_CLASS_TREMOR)}, 7), v1::TRIAGE_CLASS_IMMEDIATE);
  EXPECT_EQ(triage_of({vs(1, 14, MOVEMENT_CLASS_PERIODIC), vs(6, 14, MOVEMENT_CLASS_PERIODIC)}, 7), v1::TRIAGE_CLASS_DELAYED);
  EXPECT_EQ(triage_of({vs(1, 14, MOVEMENT_CLASS_VOLUNTARY), vs(6, 14, MOVEMENT_CLASS_VOLUNTARY)}, 7), v1::TRIAGE_CLASS_MINOR);
  // RR < 10 or > 30 → Immediate whatever the movement.
  EXPECT_EQ(triage_of({vs(1, 8, MOVEMENT_CLASS_VOLUNTARY), vs(6, 8, MOVEMENT_CLASS_VOLUNTARY)}, 7), v1::TRIAGE_CLASS_IMMEDIATE);
  EXPECT_EQ(triage_of({vs(1, 34, MOVEMENT_CLASS_VOLUNTARY), vs(6, 34, MOVEMENT_CLASS_VOLUNTARY)}, 7), v1::TRIAGE_CLASS_IMMEDIATE);
  // Boundaries: 10 and 30 are in the normal band (median of the window).
  EXPECT_EQ(triage_of({vs(1, 10, MOVEMENT_CLASS_VOLUNTARY), vs(6, 10, MOVEMENT_CLASS_VOLUNTARY)}, 7), v1::TRIAGE_CLASS_MINOR);
  EXPECT_EQ(triage_of({vs(1, 30, MOVEMENT_CLASS_VOLUNTARY), vs(6, 30, MOVEMENT_CLASS_VOLUNTARY)}, 7), v1::TRIAGE_CLASS_MINOR);
  // Perfusion proxy: heart rate < 50 or > 120 with normal breathing → Immediate.
  EXPECT_EQ(triage_of({vs(1, 14, MOVEMENT_CLASS_VOLUNTARY, 130), vs(6, 14, MOVEMENT_CLASS_VOLUNTARY, 130)}, 7),
            v1::TRIAGE_CLASS_IMMEDIATE);
  EXPECT_EQ(triage_of({vs(1, 14, MOVEMENT_CLASS_VOLUNTARY, 80), vs(6, 14, MOVEMENT_CLASS_VOLUNTARY, 80)}, 7), v1::TRIAGE_CLASS_MINOR);
  // Breathing absent but moving → Immediate.
  EXPECT_EQ(triage_of({vs(1, 0, MOVEMENT_CLASS_VOLUNTARY), vs(6, 0, MOVEMENT_CLASS_VOLUNTARY)}, 7), v1::TRIAGE_CLASS_IMMEDIATE);
}

TEST(MatTriage, WindowNotLatestReading) {
  // One voluntary reading among three unresponsive ones (< 1/3) does not make the survivor Minor.
  using enum v1::MovementClass;
  EXPECT_EQ(triage_of({vs(1, 14), vs(6, 14), vs(11, 14), vs(16, 14, MOVEMENT_CLASS_VOLUNTARY)}, 17), v1::TRIAGE_CLASS_IMMEDIATE);
  // Readings older than the 120 s window are ignored: old voluntary movement no longer counts.
  EXPECT_EQ(triage_of({vs(0, 14, MOVEMENT_CLASS_VOLUNTARY), vs(5, 14, MOVEMENT_CLASS_VOLUNTARY), vs(200, 14), vs(205, 14)}, 206),
            v1::TRIAGE_CLASS_IMMEDIATE);
}

TEST(MatTriage, DeceasedOnlyAfterSustainedAbsence) {
  const std::vector<v1::VitalSample> h = {vs(0, 14), vs(5, 14), vs(100, 0), vs(1000, 0)};
  // 995 s after the last vital sign: keep the previous class and flag for reassessment.
  const auto r = assess_triage({.history = h, .now_ns = 1000 * kS, .last_vital_ns = 5 * kS, .previous = v1::TRIAGE_CLASS_IMMEDIATE});
  EXPECT_EQ(r.triage, v1::TRIAGE_CLASS_IMMEDIATE);
  EXPECT_TRUE(r.reassess);
  // 1805 s ≥ 1800 s: Deceased.
  EXPECT_EQ(triage_of({vs(1800, 0), vs(1810, 0)}, 1810, 5, v1::TRIAGE_CLASS_IMMEDIATE), v1::TRIAGE_CLASS_DECEASED);
}

TEST(MatTriage, DeteriorationUpgradesOneLevel) {
  using enum v1::MovementClass;
  // 20 → 18 → 16 BPM, voluntary movement: Minor upgraded to Delayed.
  EXPECT_EQ(triage_of({vs(1, 20, MOVEMENT_CLASS_VOLUNTARY), vs(6, 18, MOVEMENT_CLASS_VOLUNTARY), vs(11, 16, MOVEMENT_CLASS_VOLUNTARY)}, 12),
            v1::TRIAGE_CLASS_DELAYED);
  // Drops of 0.3 BPM are within the 0.5 BPM tolerance: no upgrade.
  EXPECT_EQ(triage_of({vs(1, 16.6, MOVEMENT_CLASS_VOLUNTARY), vs(6, 16.3, MOVEMENT_CLASS_VOLUNTARY), vs(11, 16.0, MOVEMENT_CLASS_VOLUNTARY)}, 12),
            v1::TRIAGE_CLASS_MINOR);
  EXPECT_EQ(upgrade_one_level(v1::TRIAGE_CLASS_DELAYED), v1::TRIAGE_CLASS_IMMEDIATE);
  EXPECT_EQ(upgrade_one_level(v1::TRIAGE_CLASS_IMMEDIATE), v1::TRIAGE_CLASS_IMMEDIATE);
}

Observation obs_at(double x, double y, double rr = 14, double unc = 0.5) {
  Observation o;
  o.zone_id = "z";
  o.x = x, o.y = y;
  o.uncertainty_m = unc;
  o.vitals = vs(0, rr);
  return o;
}

TEST(MatTracker, LifecycleBirthLossReidTermination) {
  Tracker t({.birth_hits = 3, .tentative_misses = 2, .active_misses = 2, .lost_max_age_s = 60});
  t.update("z", {obs_at(1, 1)}, 0, "s-");
  ASSERT_EQ(t.tracks().size(), 1u);
  EXPECT_EQ(t.tracks()[0].state, v1::TRACK_STATE_TENTATIVE);
  t.update("z", {obs_at(1.2, 1)}, 5 * kS, "s-");
  t.update("z", {obs_at(1.1, 1)}, 10 * kS, "s-");
  EXPECT_EQ(t.tracks()[0].state, v1::TRACK_STATE_ACTIVE);  // 3 hits
  EXPECT_EQ(t.tracks().size(), 1u);                         // same place, same rate: one track
  t.update("z", {}, 15 * kS, "s-");
  EXPECT_EQ(t.tracks()[0].state, v1::TRACK_STATE_ACTIVE);
  t.update("z", {}, 20 * kS, "s-");
  EXPECT_EQ(t.tracks()[0].state, v1::TRACK_STATE_LOST);    // 2nd consecutive miss
  // Re-identified by position and breathing rate 30 s later.
  t.update("z", {obs_at(1.3, 1.1)}, 50 * kS, "s-");
  EXPECT_EQ(t.tracks().size(), 1u);
  EXPECT_EQ(t.tracks()[0].state, v1::TRACK_STATE_ACTIVE);
  // Lost again, then older than 60 s: Terminated.
  t.update("z", {}, 55 * kS, "s-");
  t.update("z", {}, 60 * kS, "s-");
  EXPECT_TRUE(t.expire(100 * kS).empty());
  EXPECT_EQ(t.expire(121 * kS).size(), 1u);
  EXPECT_EQ(t.tracks()[0].state, v1::TRACK_STATE_TERMINATED);
}

TEST(MatTracker, GatesSeparateSurvivorsAndTentativeNeedsTwoMisses) {
  Tracker t({.birth_hits = 2, .tentative_misses = 2});
  // Far apart (4 m > gate 1.5 + 0.5 + 0.5) → two tracks; a different breathing rate too.
  t.update("z", {obs_at(0, 0), obs_at(4, 0)}, 0, "s-");
  t.update("z", {obs_at(0.1, 0), obs_at(4.1, 0)}, kS, "s-");
  ASSERT_EQ(t.tracks().size(), 2u);
  EXPECT_EQ(t.tracks()[0].state, v1::TRACK_STATE_ACTIVE);
  t.update("z", {obs_at(0.1, 0, 25)}, 2 * kS, "s-");  // 11 BPM apart from track 0: not the same person
  EXPECT_EQ(t.tracks().size(), 3u);
  EXPECT_EQ(t.tracks()[2].state, v1::TRACK_STATE_TENTATIVE);
  t.update("z", {obs_at(0.1, 0)}, 3 * kS, "s-");       // new track misses once: still tentative
  EXPECT_EQ(t.tracks()[2].state, v1::TRACK_STATE_TENTATIVE);
  t.update("z", {obs_at(0.1, 0)}, 4 * kS, "s-");
  EXPECT_EQ(t.tracks()[2].state, v1::TRACK_STATE_TERMINATED);
  EXPECT_TRUE(t.mark_rescued(t.tracks()[0].id));
  EXPECT_EQ(t.tracks()[0].state, v1::TRACK_STATE_RESCUED);
  EXPECT_FALSE(t.mark_rescued(t.tracks()[0].id));  // final
}

TEST(MatAlerts, DedupEscalationAckResolve) {
  AlertBook b({.escalation_s = 300});
  auto a = b.on_triage("s-1", v1::TRIAGE_CLASS_DELAYED, "m", 0);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->priority(), v1::ALERT_PRIORITY_HIGH);
  EXPECT_EQ(a->escalate_at_ns(), 300 * kS);
  EXPECT_FALSE(b.on_triage("s-1", v1::TRIAGE_CLASS_DELAYED, "m", kS));  // deduplicated
  EXPECT_FALSE(b.on_triage("s-1", v1::TRIAGE_CLASS_MINOR, "m", kS));    // improvement: alert kept
  EXPECT_FALSE(b.on_triage("s-2", v1::TRIAGE_CLASS_UNKNOWN, "m", kS));  // no alert for Unknown
  EXPECT_TRUE(b.tick(299 * kS).empty());
  auto esc = b.tick(300 * kS);
  ASSERT_EQ(esc.size(), 1u);
  EXPECT_EQ(esc[0].priority(), v1::ALERT_PRIORITY_CRITICAL);
  EXPECT_EQ(esc[0].escalate_at_ns(), 0);  // nothing above Critical
  std::string err;
  EXPECT_TRUE(b.acknowledge(a->alert_id(), "op", err));
  EXPECT_FALSE(b.acknowledge(a->alert_id(), "op", err));
  EXPECT_FALSE(b.acknowledge("alert-99", "op", err));
  EXPECT_NE(err.find("unknown"), std::string::npos);
  EXPECT_TRUE(b.resolve(a->alert_id(), "op", err));
  EXPECT_EQ(b.alerts()[0].state(), v1::ALERT_STATE_RESOLVED);
  // A new alert for the same survivor after resolution.
  EXPECT_TRUE(b.on_triage("s-1", v1::TRIAGE_CLASS_IMMEDIATE, "m", 400 * kS));
  EXPECT_EQ(b.alerts().size(), 2u);
}

MatDomain domain_with_zone(std::string& zone_id) {
  MatDomain d;
  v1::MatCommand c;
  c.set_command_id("c1");
  c.mutable_create_event()->set_name("quake");
  const auto ev = d.apply(c, 0);
  EXPECT_TRUE(ev.ok());
  v1::MatCommand z;
  z.set_command_id("c2");
  *z.mutable_upsert_zone() = rect(0, 0, 10, 10);
  z.mutable_upsert_zone()->set_event_id(ev.assigned_id());
  const auto zr = d.apply(z, 0);
  EXPECT_TRUE(zr.ok()) << zr.error();
  zone_id = zr.assigned_id();
  return d;
}

TEST(MatDomain, CommandsAreValidated) {
  std::string zid;
  auto d = domain_with_zone(zid);
  EXPECT_EQ(d.take_changes().size(), 2u);  // event + zone
  v1::MatCommand bad;
  bad.set_command_id("x");
  *bad.mutable_upsert_zone() = rect(0, 0, 1, 1);
  bad.mutable_upsert_zone()->set_event_id("event-404");
  auto r = d.apply(bad, 0);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.command_id(), "x");
  bad.mutable_upsert_zone()->set_event_id("event-1");
  bad.mutable_upsert_zone()->mutable_rectangle()->mutable_max()->set_x_m(-1);
  EXPECT_NE(d.apply(bad, 0).error().find("invalid zone"), std::string::npos);
  v1::MatCommand none;
  EXPECT_FALSE(d.apply(none, 0).ok());
  EXPECT_TRUE(d.take_changes().empty());  // refused commands change nothing
}

TEST(MatDomain, NoObservationNoSurvivorAndConfirmationNeedsThreeCycles) {
  std::string zid;
  auto d = domain_with_zone(zid);
  d.take_changes();
  for (int i = 0; i < 20; ++i) d.observe(zid, {}, i * 5 * kS);
  EXPECT_EQ(d.survivor_count(), 0u);
  EXPECT_TRUE(d.take_changes().empty());
  auto o = obs_at(3, 4);
  o.zone_id = zid;
  d.observe(zid, {o}, 100 * kS);
  d.observe(zid, {o}, 105 * kS);
  EXPECT_EQ(d.survivor_count(), 0u);  // tentative: not a survivor yet
  EXPECT_TRUE(d.take_changes().empty());
  d.observe(zid, {o}, 110 * kS);
  EXPECT_EQ(d.survivor_count(), 1u);
  const auto ch = d.take_changes();
  ASSERT_EQ(ch.size(), 2u);  // survivor, then its alert
  ASSERT_TRUE(ch[0].has_survivor());
  EXPECT_EQ(ch[0].survivor().triage(), v1::TRIAGE_CLASS_IMMEDIATE);  // RR 14, no movement
  EXPECT_NEAR(ch[0].survivor().position().x_m(), 3, 1e-9);
  ASSERT_TRUE(ch[1].has_alert());
  EXPECT_EQ(ch[1].alert().priority(), v1::ALERT_PRIORITY_CRITICAL);
  // An observation outside the zone is not this zone's survivor.
  auto out = obs_at(30, 4);
  out.zone_id = zid;
  for (int i = 0; i < 5; ++i) d.observe(zid, {o, out}, (115 + 5 * i) * kS);
  EXPECT_EQ(d.survivor_count(), 1u);
}

TEST(MatDomain, SnapshotRestoresAndIdsDoNotCollide) {
  std::string zid;
  auto d = domain_with_zone(zid);
  auto o = obs_at(3, 4);
  o.zone_id = zid;
  for (int i = 0; i < 3; ++i) d.observe(zid, {o}, i * 5 * kS);
  const auto snap = d.snapshot();
  ASSERT_EQ(snap.size(), 4u);  // event, zone, survivor, alert
  MatDomain r;
  r.restore(snap);
  EXPECT_EQ(r.survivor_count(), 1u);
  ASSERT_NE(r.zone(zid), nullptr);
  // The restored survivor keeps being tracked (no second survivor for the same person).
  for (int i = 3; i < 6; ++i) r.observe(zid, {o}, i * 5 * kS);
  EXPECT_EQ(r.survivor_count(), 1u);
  v1::MatCommand c;
  c.mutable_create_event()->set_name("second");
  EXPECT_NE(r.apply(c, 0).assigned_id(), "event-1");
  // Operator actions on the restored state.
  v1::MatCommand ack;
  ack.set_operator_("op");
  ack.set_acknowledge_alert_id("alert-1");
  EXPECT_TRUE(r.apply(ack, 0).ok());
  v1::MatCommand res;
  res.set_mark_rescued_survivor_id("survivor-1");
  EXPECT_TRUE(r.apply(res, 0).ok());
  EXPECT_EQ(r.survivor_count(), 0u);
}

}  // namespace
}  // namespace wdp::mat
