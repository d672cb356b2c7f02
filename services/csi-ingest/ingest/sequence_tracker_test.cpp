#include "ingest/sequence_tracker.h"

#include <gtest/gtest.h>

namespace wdp::ingest {

TEST(SequenceTracker, InOrderGapReorderDuplicate) {
  SequenceTracker t(32, true);
  EXPECT_EQ(t.observe(10), SequenceEvent::first);
  EXPECT_EQ(t.observe(11), SequenceEvent::in_order);
  EXPECT_EQ(t.observe(14), SequenceEvent::gap);  // 12, 13 missing
  EXPECT_EQ(t.counts().lost, 2u);
  EXPECT_EQ(t.observe(12), SequenceEvent::reordered);  // 12 arrives late: no longer lost
  EXPECT_EQ(t.counts().lost, 1u);
  EXPECT_EQ(t.observe(12), SequenceEvent::duplicate);
  EXPECT_EQ(t.observe(14), SequenceEvent::duplicate);
  EXPECT_EQ(t.observe(15), SequenceEvent::in_order);
  EXPECT_EQ(t.counts().in_order, 2u);
  EXPECT_EQ(t.counts().reordered, 1u);
  EXPECT_EQ(t.counts().duplicates, 2u);
}

TEST(SequenceTracker, Esp32GapsAreSensorSkipsNotLoss) {
  SequenceTracker t(32, false);
  t.observe(0);
  t.observe(5);  // the firmware's rate limiter consumed 1..4
  t.observe(9);
  EXPECT_EQ(t.counts().lost, 0u);
  EXPECT_EQ(t.counts().sensor_skipped, 7u);
}

TEST(SequenceTracker, WrapsAroundTheCounterWidth) {
  SequenceTracker t(32, true);
  t.observe(0xFFFFFFFEu);
  EXPECT_EQ(t.observe(0xFFFFFFFFu), SequenceEvent::in_order);
  EXPECT_EQ(t.observe(0), SequenceEvent::in_order);
  EXPECT_EQ(t.observe(2), SequenceEvent::gap);
  EXPECT_EQ(t.counts().lost, 1u);
  SequenceTracker sn(12, true);  // 802.11 sequence numbers
  sn.observe(4095);
  EXPECT_EQ(sn.observe(0), SequenceEvent::in_order);
}

TEST(SequenceTracker, LargeBackwardJumpIsAReset) {
  SequenceTracker t(32, true);
  for (std::uint64_t s = 100000; s < 100010; ++s) t.observe(s);
  EXPECT_EQ(t.observe(0), SequenceEvent::reset);  // reboot
  EXPECT_EQ(t.observe(1), SequenceEvent::in_order);
  EXPECT_EQ(t.counts().resets, 1u);
  EXPECT_EQ(t.counts().lost, 0u);
}

TEST(SequenceTracker, LateArrivalBeyondTheWindowAfterAJumpIsNotADuplicate) {
  SequenceTracker t(32, true);
  t.observe(1);
  t.observe(1000);  // 998 lost
  EXPECT_EQ(t.counts().lost, 998u);
  EXPECT_EQ(t.observe(999), SequenceEvent::reordered);
  EXPECT_EQ(t.counts().lost, 997u);
}

}  // namespace wdp::ingest
