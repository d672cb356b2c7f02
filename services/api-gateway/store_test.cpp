// The gateway database: migrations, batched writes, paging, time filters, index use, retention,
// and the time / page-token parsing of event queries.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "event_query.h"
#include "schema.h"
#include "store.h"
#include "store_writer.h"
#include "wdp/bus/clock.h"
#include "wdp/testing/temp_dir.h"

namespace wdp::gateway {
namespace {

namespace fs = std::filesystem;
// Test events use small timestamps; retention (which also runs when a writer starts) must keep them.
constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max() / 2;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = wdp::testing::fresh_test_dir("gw-store");
    path_ = (dir_ / "gw.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static v1::Event event(std::int64_t t, const std::string& node, v1::EventKind kind) {
    v1::Event e;
    e.set_time_ns(t);
    e.set_node_id(node);
    e.set_kind(kind);
    e.set_summary("e" + std::to_string(t));
    return e;
  }

  fs::path dir_;
  std::string path_;
};

TEST(EventQuery, ParsesRfc3339AndNanoseconds) {
  EXPECT_EQ(parse_time_ns("2026-11-23T14:00:00Z"), 1795442400LL * 1'000'000'000);
  EXPECT_EQ(parse_time_ns("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_time_ns("2024-02-29T23:59:59.25Z"), 1709251199LL * 1'000'000'000 + 250'000'000);
  EXPECT_EQ(parse_time_ns("2026-11-23T15:00:00+01:00"), 1795442400LL * 1'000'000'000);
  EXPECT_EQ(parse_time_ns("1795442400000000000"), 1795442400LL * 1'000'000'000);
  EXPECT_FALSE(parse_time_ns("2026-02-30T00:00:00Z"));  // no such day
  EXPECT_FALSE(parse_time_ns("2026-11-23T14:00:00"));   // zone required
  EXPECT_FALSE(parse_time_ns("yesterday"));
  EXPECT_FALSE(parse_time_ns(""));
}

TEST(EventQuery, PageTokenRoundTripsAndRejectsGarbage) {
  const auto t = encode_page_token({1795442400000000000, 42});
  const auto c = decode_page_token(t);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->time_ns, 1795442400000000000);
  EXPECT_EQ(c->id, 42);
  EXPECT_FALSE(decode_page_token("zz"));
  EXPECT_FALSE(decode_page_token("313233"));  // "123": no colon
  EXPECT_FALSE(decode_page_token(""));
}

TEST_F(StoreTest, MigratesToTheLatestVersionOnceAndKeepsData) {
  {
    Store s(path_);
    EXPECT_EQ(s.schema_version(), static_cast<std::int64_t>(schema_migrations().size()));
    StoredKey k;
    k.hash = "h";
    k.key.set_key_id("id1");
    k.key.set_name("n");
    s.insert_key(k);
  }
  Store again(path_);  // re-opening applies nothing twice and keeps rows
  EXPECT_EQ(again.schema_version(), static_cast<std::int64_t>(schema_migrations().size()));
  EXPECT_EQ(again.keys().size(), 1u);
}

TEST_F(StoreTest, CommitsEventsInBatchesAndNotifiesOnlyAfterCommit) {
  Store store(path_);
  std::vector<std::int64_t> notified_ids;
  std::size_t rows_when_notified = 0;
  {
    StoreWriter w({.path = path_, .retention_ns = kForever}, [&](const std::vector<v1::Event>& committed) {
      for (const auto& e : committed) notified_ids.push_back(e.id());
      // What the listener is told is already readable through another connection.
      rows_when_notified = static_cast<std::size_t>(store.list_events({.limit = 1000}).events_size());
    });
    for (int i = 0; i < 50; ++i) w.submit(event(1000 + i, "n1", v1::EVENT_KIND_PRESENCE));
    w.flush();
    EXPECT_EQ(w.stats().committed.load(), 50u);
    EXPECT_LE(w.stats().batches.load(), 50u);
  }
  ASSERT_EQ(notified_ids.size(), 50u);
  EXPECT_EQ(rows_when_notified, 50u);
  for (std::size_t i = 1; i < notified_ids.size(); ++i) EXPECT_GT(notified_ids[i], notified_ids[i - 1]);
}

TEST_F(StoreTest, PagesThroughATimeRangeWithoutGapsOrRepeats) {
  Store store(path_);
  {
    StoreWriter w({.path = path_, .retention_ns = kForever}, nullptr);
    // Two events share a timestamp: the id breaks the tie, so paging still sees each once.
    for (std::int64_t t : {100, 200, 200, 300, 400, 500, 600}) w.submit(event(t, "n1", v1::EVENT_KIND_MOTION));
    w.submit(event(250, "n2", v1::EVENT_KIND_VITALS));
    w.flush();
  }
  EventFilter f{.since_ns = 200, .until_ns = 600, .limit = 2};
  std::vector<std::int64_t> times;
  int pages = 0;
  for (;;) {
    auto r = store.list_events(f);
    ++pages;
    for (const auto& e : r.events()) times.push_back(e.time_ns());
    if (r.next_page_token().empty()) break;
    f.after = decode_page_token(r.next_page_token());
    ASSERT_TRUE(f.after);
  }
  EXPECT_EQ(times, (std::vector<std::int64_t>{200, 200, 250, 300, 400, 500}));
  EXPECT_EQ(pages, 3);

  EventFilter by_node{.node_ids = {"n2"}};
  by_node.limit = 10;
  EXPECT_EQ(store.list_events(by_node).events_size(), 1);
  EventFilter by_kind{.kinds = {v1::EVENT_KIND_MOTION}};
  by_kind.limit = 10;
  EXPECT_EQ(store.list_events(by_kind).events_size(), 7);
}

TEST_F(StoreTest, TimeRangeQueriesUseTheTimeIndex) {
  Store store(path_);
  const auto plan = store.explain_list_events({.since_ns = 100, .until_ns = 200, .after = PageCursor{150, 3}, .limit = 10});
  std::string all;
  for (const auto& line : plan) all += line + "\n";
  EXPECT_NE(all.find("USING INDEX events_time"), std::string::npos) << all;
  EXPECT_EQ(all.find("SCAN events"), std::string::npos) << all;
  EXPECT_EQ(all.find("TEMP B-TREE"), std::string::npos) << "ORDER BY must come from the index\n" << all;
}

TEST_F(StoreTest, RetentionDeletesOnlyOldEvents) {
  Store store(path_);
  const std::int64_t day = 86'400'000'000'000;
  StoreWriter w({.path = path_, .retention_ns = 30 * day}, nullptr);
  const std::int64_t now = bus::wall_ns();  // the writer also applies retention at its start, by the clock
  w.submit(event(now - 31 * day, "n", v1::EVENT_KIND_PRESENCE));
  w.submit(event(now - 29 * day, "n", v1::EVENT_KIND_PRESENCE));
  w.submit(event(now, "n", v1::EVENT_KIND_PRESENCE));
  w.flush();
  w.apply_retention(now);
  const auto r = store.list_events({.limit = 10});
  ASSERT_EQ(r.events_size(), 2);
  EXPECT_EQ(r.events(0).time_ns(), now - 29 * day);
  EXPECT_EQ(w.stats().retained_deleted.load(), 1u);
}

TEST_F(StoreTest, NodesAndRecordingsAreUpserted) {
  Store store(path_);
  {
    StoreWriter w({.path = path_, .retention_ns = kForever}, nullptr);
    w.submit_node("n1", 1000, 100.0);
    w.submit_node("n1", 5000, 90.0);
    w.submit_node("n2", 3000, 50.0);
    v1::RecordingSession s;
    s.set_session_id("s1");
    s.set_started_ns(10);
    s.set_state(v1::RECORDING_STATE_ACTIVE);
    w.submit_recording(s);
    s.set_state(v1::RECORDING_STATE_STOPPED);
    s.set_records(7);
    w.submit_recording(s);
    w.flush();
  }
  const auto nodes = store.nodes();
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].node_id(), "n1");
  EXPECT_EQ(nodes[0].first_seen_ns(), 1000);
  EXPECT_EQ(nodes[0].last_seen_ns(), 5000);
  EXPECT_DOUBLE_EQ(nodes[0].frame_rate_hz(), 90.0);
  const auto recs = store.recordings();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].state(), v1::RECORDING_STATE_STOPPED);
  EXPECT_EQ(recs[0].records(), 7u);
}

}  // namespace
}  // namespace wdp::gateway
