// RecordingStore: rotation by size and time, retention by age and size, crash reconcile, with
// injected clocks.
#include "recording_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "recording_source.h"
#include "segment_reader.h"
#include "wdp/testing/temp_dir.h"

namespace wdp::recorder {
namespace {

namespace fs = std::filesystem;
constexpr std::int64_t kSecond = 1'000'000'000;

class RecordingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = wdp::testing::fresh_test_dir("wdp-store");
  }
  void TearDown() override {
    fs::remove_all(dir_);
    fs::remove_all(dir_.string() + "-copy");
  }

  StoreOptions options() {
    StoreOptions o;
    o.dir = dir_;
    o.segment_max_bytes = 1ull << 30;
    o.segment_max_seconds = 1e9;
    o.retention_max_age_s = 0;
    o.retention_max_bytes = 0;
    o.fsync_interval_s = 1;
    o.wall_clock = [this] { return wall_; };
    o.mono_clock = [this] { return mono_; };
    return o;
  }

  // Appends a 404-byte payload on csi.raw.<node>, published at the current wall clock.
  void append(RecordingStore& s, int i, const std::string& node = "n1") {
    payload_ = std::string(404, static_cast<char>(i));
    const std::string topic = "csi.raw." + node;
    ASSERT_TRUE(s.append({topic, 1, static_cast<std::uint64_t>(i), wall_, wall_ + 1,
                          std::as_bytes(std::span<const char>(payload_))}));
  }

  static std::vector<std::uint64_t> sequences(const fs::path& session_dir) {
    std::vector<std::uint64_t> out;
    RecordingSource(session_dir).for_each([&](const RecordView& r) {
      out.push_back(r.bus_sequence);
      return true;
    });
    return out;
  }

  fs::path dir_;
  std::int64_t wall_ = 1'700'000'000 * kSecond;
  std::int64_t mono_ = 1000 * kSecond;
  std::string payload_;
};

TEST_F(RecordingStoreTest, SessionLifecycleAndIndex) {
  RecordingStore s(options());
  auto started = s.start_session("walking", {{"activity", "walking"}}, {"csi.raw."}, false);
  ASSERT_TRUE(started) << started.error();
  EXPECT_FALSE(s.start_session("again", {}, {}, false));
  for (int i = 0; i < 10; ++i) append(s, i, i % 2 ? "a" : "b");
  wall_ += kSecond;
  auto stopped = s.stop_session({});
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->records, 10u);
  EXPECT_EQ(stopped->segments, 1u);
  EXPECT_EQ(stopped->nodes, (std::set<std::string, std::less<>>{"a", "b"}));
  const auto row = s.index().session(started->id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->state, v1::RECORDING_STATE_STOPPED);
  EXPECT_EQ(row->name, "walking");
  EXPECT_EQ(row->labels.at("activity"), "walking");
  EXPECT_EQ(row->records, 10u);
  EXPECT_EQ(row->stopped_ns, wall_);
  const auto segs = s.index().segments(started->id);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_TRUE(segs[0].closed);
  EXPECT_EQ(segs[0].stats.records, 10u);
  EXPECT_EQ(sequences(s.session_dir(started->id)).size(), 10u);
}

TEST_F(RecordingStoreTest, RotatesBySize) {
  auto o = options();
  o.segment_max_bytes = 4096;
  RecordingStore s(o);
  auto sess = s.start_session("size", {}, {"csi.raw."}, false);
  ASSERT_TRUE(sess);
  for (int i = 0; i < 100; ++i) append(s, i);
  ASSERT_TRUE(s.stop_session({}));
  const auto segs = s.index().segments(sess->id);
  EXPECT_GE(segs.size(), 10u);
  std::uint64_t total = 0;
  for (const auto& seg : segs) {
    EXPECT_LE(fs::file_size(dir_ / seg.path), o.segment_max_bytes + 500) << seg.path;
    total += seg.stats.records;
  }
  EXPECT_EQ(total, 100u);
  const auto seqs = sequences(s.session_dir(sess->id));
  ASSERT_EQ(seqs.size(), 100u);
  for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i);
}

TEST_F(RecordingStoreTest, RotatesByTimeAndSyncsOnInterval) {
  auto o = options();
  o.segment_max_seconds = 2;
  RecordingStore s(o);
  auto sess = s.start_session("time", {}, {"csi.raw."}, false);
  ASSERT_TRUE(sess);
  append(s, 0);
  ASSERT_TRUE(s.flush());
  mono_ += kSecond;  // 1 s: sync due, no rotation yet
  ASSERT_TRUE(s.tick());
  EXPECT_EQ(s.counters().synced_records.load(), 1u);
  EXPECT_EQ(s.counters().segments_opened.load(), 1u);
  append(s, 1);
  mono_ += kSecond + 1;  // past 2 s: rotate
  ASSERT_TRUE(s.tick());
  EXPECT_EQ(s.counters().segments_opened.load(), 2u);
  EXPECT_EQ(s.counters().synced_records.load(), 2u);  // closing syncs
  mono_ += 10 * kSecond;  // an empty segment is not rotated
  ASSERT_TRUE(s.tick());
  EXPECT_EQ(s.counters().segments_opened.load(), 2u);
  append(s, 2);
  ASSERT_TRUE(s.stop_session({}));
  EXPECT_EQ(s.index().segments(sess->id).size(), 2u);
  EXPECT_EQ(sequences(s.session_dir(sess->id)), (std::vector<std::uint64_t>{0, 1, 2}));
}

TEST_F(RecordingStoreTest, RetentionBySizeRemovesOldestRollingSegments) {
  auto o = options();
  o.segment_max_bytes = 4096;
  o.retention_max_bytes = 20'000;
  o.retention_interval_s = 1;
  RecordingStore s(o);
  auto named = s.start_session("keep me", {}, {"csi.raw."}, false);
  for (int i = 0; i < 40; ++i) append(s, i);
  ASSERT_TRUE(s.stop_session({}));
  auto rolling = s.start_session({}, {}, {"csi.raw."}, true);
  ASSERT_TRUE(rolling);
  for (int i = 0; i < 200; ++i) {
    wall_ += kSecond / 100;
    append(s, i);
  }
  mono_ += 2 * kSecond;
  ASSERT_TRUE(s.tick());
  EXPECT_GT(s.counters().segments_deleted.load(), 0u);
  // The named session is untouched; the rolling one lost its oldest segments, not its newest.
  EXPECT_EQ(sequences(s.session_dir(named->id)).size(), 40u);
  const auto seqs = sequences(s.session_dir(rolling->id));
  ASSERT_FALSE(seqs.empty());
  EXPECT_GT(seqs.front(), 0u);
  EXPECT_EQ(seqs.back(), 199u);
  const auto live = s.active();
  ASSERT_TRUE(live);
  EXPECT_EQ(live->records, seqs.size());
  std::uint64_t rolling_bytes = 0;
  for (const auto& seg : s.index().segments(rolling->id)) rolling_bytes += fs::file_size(dir_ / seg.path);
  EXPECT_LE(rolling_bytes, o.retention_max_bytes);
}

TEST_F(RecordingStoreTest, RetentionByAgeDropsWholeStoppedSessions) {
  auto o = options();
  o.retention_max_age_s = 3600;
  o.retention_interval_s = 1;
  std::string old_id, named_id;
  {
    RecordingStore s(o);
    auto old = s.start_session({}, {}, {"csi.raw."}, true);
    old_id = old->id;
    append(s, 1);
    ASSERT_TRUE(s.stop_session({}));
    auto named = s.start_session("labelled", {}, {"csi.raw."}, false);
    named_id = named->id;
    append(s, 2);
    ASSERT_TRUE(s.stop_session({}));
  }
  wall_ += 7200 * kSecond;
  RecordingStore s(o);  // retention also runs on open
  EXPECT_FALSE(s.index().session(old_id));
  EXPECT_FALSE(fs::exists(s.session_dir(old_id)));
  EXPECT_TRUE(s.index().session(named_id));
  EXPECT_EQ(s.counters().segments_deleted.load(), 1u);
}

TEST_F(RecordingStoreTest, ReconcilesAfterACrash) {
  std::string id;
  {
    RecordingStore s(options());
    auto sess = s.start_session("crashy", {{"k", "v"}}, {"csi.raw."}, false);
    id = sess->id;
    for (int i = 0; i < 25; ++i) {
      wall_ += kSecond / 10;
      append(s, i);
    }
    ASSERT_TRUE(s.flush());
    // A crash now: copy the directory as the disk holds it (no stop, index says ACTIVE).
    fs::copy(dir_, dir_.string() + "-copy", fs::copy_options::recursive);
  }
  const fs::path copy = dir_.string() + "-copy";
  const auto seg = copy / "sessions" / id / "seg-000001.wdpseg";
  const auto good_size = fs::file_size(seg);
  std::ofstream(seg, std::ios::binary | std::ios::app) << std::string("\x55\xae\xc5\xd1\x10\x00", 6);  // torn record
  // And a second segment that was being created: nothing but half a header.
  std::ofstream(copy / "sessions" / id / "seg-000002.wdpseg", std::ios::binary) << "WDPSEG";

  auto o = options();
  o.dir = copy;
  RecordingStore s(o);
  EXPECT_EQ(s.recovery().sessions_closed, 1u);
  EXPECT_EQ(s.recovery().trimmed_bytes, 6u);
  EXPECT_EQ(s.recovery().files_removed, 1u);
  EXPECT_EQ(fs::file_size(seg), good_size);
  const auto row = s.index().session(id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->state, v1::RECORDING_STATE_STOPPED);
  EXPECT_EQ(row->records, 25u);
  EXPECT_EQ(row->segments, 1u);
  EXPECT_EQ(row->stopped_ns, wall_);  // the last record's publish time
  EXPECT_EQ(row->labels.at("k"), "v");
  EXPECT_EQ(sequences(s.session_dir(id)).size(), 25u);
}

TEST_F(RecordingStoreTest, RebuildsALostIndexFromTheDirectories) {
  std::string id;
  {
    RecordingStore s(options());
    id = s.start_session("kept", {{"room", "lab"}}, {"csi.raw."}, false)->id;
    for (int i = 0; i < 5; ++i) append(s, i);
  }
  for (const char* f : {"index.sqlite", "index.sqlite-wal", "index.sqlite-shm"}) fs::remove(dir_ / f);
  RecordingStore s(options());
  EXPECT_EQ(s.recovery().sessions_added, 1u);
  const auto row = s.index().session(id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->name, "kept");
  EXPECT_EQ(row->labels.at("room"), "lab");
  EXPECT_EQ(row->records, 5u);
}

}  // namespace
}  // namespace wdp::recorder
