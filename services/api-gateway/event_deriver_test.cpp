// Events derived from sensing updates and WiFi-Mat messages, against hand-computed values.
#include <gtest/gtest.h>

#include "event_deriver.h"
#include "mat_state.h"

namespace wdp::gateway {
namespace {

constexpr std::int64_t kS = 1'000'000'000;

v1::SensingUpdate update(std::int64_t t, bool presence, v1::MotionState m, double br = 0, double hr = 0,
                         bool calibrated = true) {
  v1::SensingUpdate u;
  u.mutable_origin()->set_node_id("n1");
  u.mutable_origin()->set_capture_time_ns(t);
  u.set_calibrated(calibrated);
  u.set_presence(presence);
  u.set_presence_confidence(0.9);
  u.set_motion_state(m);
  u.set_motion(0.4);
  if (br > 0) {
    u.mutable_breathing()->set_valid(true);
    u.mutable_breathing()->set_rate_per_min(br);
  }
  if (hr > 0) {
    u.mutable_heart()->set_valid(true);
    u.mutable_heart()->set_rate_per_min(hr);
  }
  return u;
}

TEST(EventDeriver, PresenceAndMotionChangesOnlyAfterAKnownState) {
  EventDeriver d(0);  // no vitals windows here
  EXPECT_TRUE(d.on_sensing(update(1 * kS, false, v1::MOTION_STATE_NONE, 0, 0, false)).empty());  // uncalibrated
  EXPECT_TRUE(d.on_sensing(update(2 * kS, false, v1::MOTION_STATE_NONE)).empty());  // first state: no event
  EXPECT_TRUE(d.on_sensing(update(3 * kS, false, v1::MOTION_STATE_NONE)).empty());  // no change
  auto ev = d.on_sensing(update(4 * kS, true, v1::MOTION_STATE_ACTIVE));
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].kind(), v1::EVENT_KIND_PRESENCE);
  EXPECT_TRUE(ev[0].presence().presence());
  EXPECT_EQ(ev[0].time_ns(), 4 * kS);
  EXPECT_EQ(ev[0].node_id(), "n1");
  EXPECT_EQ(ev[1].kind(), v1::EVENT_KIND_MOTION);
  EXPECT_EQ(ev[1].motion().previous(), v1::MOTION_STATE_NONE);
  EXPECT_EQ(ev[1].motion().current(), v1::MOTION_STATE_ACTIVE);
  ev = d.on_sensing(update(5 * kS, true, v1::MOTION_STATE_PRESENT_STILL));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind(), v1::EVENT_KIND_MOTION);
  EXPECT_TRUE(d.on_sensing(update(6 * kS, true, v1::MOTION_STATE_UNSPECIFIED)).empty());  // not a state
}

TEST(EventDeriver, VitalsSummaryPerWindowAveragesValidRatesOnly) {
  EventDeriver d(60 * kS);
  // Window [60 s, 120 s): breathing 12 and 16 valid (mean 14), heart 60 valid once, one update without vitals.
  EXPECT_TRUE(d.on_sensing(update(61 * kS, true, v1::MOTION_STATE_PRESENT_STILL, 12, 60)).empty());
  EXPECT_TRUE(d.on_sensing(update(70 * kS, true, v1::MOTION_STATE_PRESENT_STILL, 16, 0)).empty());
  EXPECT_TRUE(d.on_sensing(update(119 * kS, true, v1::MOTION_STATE_PRESENT_STILL)).empty());
  auto ev = d.on_sensing(update(121 * kS, true, v1::MOTION_STATE_PRESENT_STILL, 20, 0));
  ASSERT_EQ(ev.size(), 1u);
  const auto& v = ev[0].vitals();
  EXPECT_EQ(ev[0].kind(), v1::EVENT_KIND_VITALS);
  EXPECT_EQ(v.window_start_ns(), 60 * kS);
  EXPECT_EQ(v.window_end_ns(), 120 * kS);
  EXPECT_EQ(ev[0].time_ns(), 120 * kS);
  EXPECT_EQ(v.updates(), 3u);
  EXPECT_EQ(v.breathing_valid(), 2u);
  EXPECT_DOUBLE_EQ(v.breathing_bpm_mean(), 14.0);
  EXPECT_EQ(v.heart_valid(), 1u);
  EXPECT_DOUBLE_EQ(v.heart_bpm_mean(), 60.0);
}

TEST(EventDeriver, MatEventsKeepTheirPayloadAndKind) {
  v1::MatEvent m;
  m.mutable_origin()->set_capture_time_ns(0);
  m.mutable_survivor()->set_survivor_id("s1");
  m.mutable_survivor()->set_triage(v1::TRIAGE_CLASS_IMMEDIATE);
  const auto e = EventDeriver::from_mat(m, 77);
  EXPECT_EQ(e.kind(), v1::EVENT_KIND_SURVIVOR);
  EXPECT_EQ(e.time_ns(), 77);  // no origin time: the receive time
  EXPECT_EQ(e.mat().survivor().survivor_id(), "s1");
  v1::MatEvent a;
  a.mutable_alert()->set_alert_id("a1");
  EXPECT_EQ(EventDeriver::from_mat(a, 1).kind(), v1::EVENT_KIND_ALERT);
}

TEST(MatState, KeepsTheLatestOfEachIdAndFilters) {
  MatState s;
  EXPECT_EQ(s.survivors("").survivors_size(), 0);  // nothing invented before mat-detector speaks
  v1::MatEvent m;
  auto* sv = m.mutable_survivor();
  sv->set_survivor_id("s1");
  sv->set_zone_id("z1");
  sv->set_triage(v1::TRIAGE_CLASS_DELAYED);
  s.apply(m);
  sv->set_triage(v1::TRIAGE_CLASS_IMMEDIATE);
  s.apply(m);
  sv->set_survivor_id("s2");
  sv->set_zone_id("z2");
  s.apply(m);
  EXPECT_EQ(s.survivors("").survivors_size(), 2);
  ASSERT_EQ(s.survivors("z1").survivors_size(), 1);
  EXPECT_EQ(s.survivors("z1").survivors(0).triage(), v1::TRIAGE_CLASS_IMMEDIATE);
  v1::MatEvent a;
  a.mutable_alert()->set_alert_id("a1");
  a.mutable_alert()->set_state(v1::ALERT_STATE_RESOLVED);
  s.apply(a);
  EXPECT_EQ(s.alerts(false).alerts_size(), 1);
  EXPECT_EQ(s.alerts(true).alerts_size(), 0);
}

TEST(MatState, SyncReplacesThePictureAndReturnsOnlyWhatDiffered) {
  MatState s;
  const auto zone = [](const char* id) {
    v1::MatEvent m;
    m.mutable_zone()->set_zone_id(id);
    m.mutable_zone()->mutable_circle()->set_radius_m(2);
    return m;
  };
  v1::MatEvent ev;
  ev.mutable_event()->set_event_id("e1");
  v1::MatEvent sv;
  sv.mutable_survivor()->set_survivor_id("s1");
  sv.mutable_survivor()->set_state(v1::TRACK_STATE_ACTIVE);
  v1::MatEvent al;
  al.mutable_alert()->set_alert_id("a1");
  al.mutable_alert()->set_state(v1::ALERT_STATE_OPEN);
  for (const auto& m : {ev, zone("z1"), zone("z2"), sv, al}) s.apply(m);

  // mat-detector now has: e1 unchanged, a new event e2, z1 unchanged, z2 deleted, s1 gone, a1 gone.
  google::protobuf::RepeatedPtrField<v1::MatEvent> state;
  *state.Add() = ev;
  state.Add()->mutable_event()->set_event_id("e2");
  *state.Add() = zone("z1");
  const auto changes = s.sync(state);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].event().event_id(), "e2");
  EXPECT_EQ(changes[1].zone().zone_id(), "z2");
  EXPECT_EQ(changes[1].zone().shape_case(), v1::ScanZone::SHAPE_NOT_SET);  // "deleted" on the bus
  EXPECT_EQ(changes[2].survivor().state(), v1::TRACK_STATE_TERMINATED);
  EXPECT_EQ(changes[3].alert().state(), v1::ALERT_STATE_RESOLVED);
  EXPECT_EQ(s.disaster_events().events_size(), 2);
  ASSERT_EQ(s.zones().zones_size(), 1);
  EXPECT_EQ(s.zones().zones(0).zone_id(), "z1");
  EXPECT_EQ(s.survivors("").survivors_size(), 0);
  EXPECT_EQ(s.alerts(false).alerts_size(), 0);
  EXPECT_TRUE(s.sync(state).empty());  // a second identical sync changes nothing
  // A deletion on the bus removes the zone as well.
  v1::MatEvent gone;
  gone.mutable_zone()->set_zone_id("z1");
  s.apply(gone);
  EXPECT_EQ(s.zones().zones_size(), 0);
}

}  // namespace
}  // namespace wdp::gateway
