// Segment writer/reader: round trip, torn tails at every byte, damage in the middle.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "segment_reader.h"
#include "segment_writer.h"
#include "wdp/testing/temp_dir.h"

namespace wdp::recorder {
namespace {

namespace fs = std::filesystem;

class SegmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = wdp::testing::fresh_test_dir("wdp-segment");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `n` records with distinct sizes; returns the file offset where each record starts.
  std::vector<std::uint64_t> write_records(const fs::path& path, int n) {
    auto w = SegmentWriter::create(path, {1, 1000});
    EXPECT_TRUE(w) << w.error();
    std::vector<std::uint64_t> starts;
    for (int i = 0; i < n; ++i) {
      starts.push_back((*w)->size_bytes());
      payloads_.push_back(std::string(static_cast<std::size_t>(100 + i * 37), static_cast<char>('a' + i)));
      (*w)->append({"csi.raw.n" + std::to_string(i % 2), 5, static_cast<std::uint64_t>(i), 1000 + i, 2000 + i,
                    std::as_bytes(std::span<const char>(payloads_.back()))});
    }
    EXPECT_TRUE((*w)->close());
    return starts;
  }

  static std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  static void write_file(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary | std::ios::trunc) << s; }

  fs::path dir_;
  std::vector<std::string> payloads_;
};

TEST_F(SegmentTest, WriterReaderRoundTrip) {
  const auto path = dir_ / "seg-000001.wdpseg";
  write_records(path, 20);
  auto r = SegmentReader::open(path);
  ASSERT_TRUE(r);
  RecordView v;
  int i = 0;
  while (r->next(v)) {
    EXPECT_EQ(v.topic, "csi.raw.n" + std::to_string(i % 2));
    EXPECT_EQ(v.bus_sequence, static_cast<std::uint64_t>(i));
    EXPECT_EQ(v.publish_time_ns, 1000 + i);
    EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(v.payload.data()), v.payload.size()), payloads_[static_cast<std::size_t>(i)]);
    ++i;
  }
  EXPECT_EQ(i, 20);
  const auto& res = r->result();
  EXPECT_TRUE(res.header_ok);
  EXPECT_EQ(res.header.segment_no, 1u);
  EXPECT_EQ(res.trimmed_bytes, 0u);
  EXPECT_EQ(res.corrupt_bytes, 0u);
  EXPECT_EQ(res.valid_end, res.file_size);
  EXPECT_EQ(res.stats.records, 20u);
  EXPECT_EQ(res.stats.first_ns, 1000);
  EXPECT_EQ(res.stats.last_ns, 1019);
  EXPECT_EQ(res.stats.nodes, (std::set<std::string, std::less<>>{"n0", "n1"}));
}

TEST_F(SegmentTest, TornTailAtEveryByteOfTheLastRecord) {
  const auto path = dir_ / "full.wdpseg";
  const auto starts = write_records(path, 5);
  const std::string full = read_file(path);
  const auto cut_path = dir_ / "cut.wdpseg";
  for (std::size_t cut = starts.back(); cut < full.size(); ++cut) {
    write_file(cut_path, full.substr(0, cut));
    const auto res = scan_segment(cut_path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->stats.records, 4u) << "cut at " << cut;
    EXPECT_EQ(res->trimmed_bytes, cut - starts.back()) << "cut at " << cut;
    EXPECT_EQ(res->valid_end, starts.back());
    EXPECT_EQ(res->corrupt_bytes, 0u);
  }
}

TEST_F(SegmentTest, GarbageAfterTheLastRecordIsTrimmed) {
  const auto path = dir_ / "seg.wdpseg";
  write_records(path, 3);
  const auto size = fs::file_size(path);
  write_file(path, read_file(path) + std::string(4096, '\0'));  // what a crash can leave on ext4
  const auto res = scan_segment(path);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->stats.records, 3u);
  EXPECT_EQ(res->trimmed_bytes, 4096u);
  EXPECT_EQ(res->valid_end, size);
}

TEST_F(SegmentTest, DamageInTheMiddleIsSkippedAndCounted) {
  const auto path = dir_ / "seg.wdpseg";
  const auto starts = write_records(path, 5);
  std::string data = read_file(path);
  data[starts[2] + 60] ^= 0x01;  // a payload bit of record 2
  write_file(path, data);
  auto r = SegmentReader::open(path);
  ASSERT_TRUE(r);
  std::vector<std::uint64_t> seen;
  RecordView v;
  while (r->next(v)) seen.push_back(v.bus_sequence);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{0, 1, 3, 4}));
  EXPECT_EQ(r->result().corrupt_bytes, starts[3] - starts[2]);
  EXPECT_EQ(r->result().trimmed_bytes, 0u);
}

TEST_F(SegmentTest, BadHeaderYieldsNothing) {
  const auto path = dir_ / "seg.wdpseg";
  write_records(path, 2);
  std::string data = read_file(path);
  data[3] = 'X';
  write_file(path, data);
  const auto res = scan_segment(path);
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->header_ok);
  EXPECT_EQ(res->stats.records, 0u);
  EXPECT_EQ(res->trimmed_bytes, data.size());
}

TEST_F(SegmentTest, CreateRefusesAnExistingFile) {
  const auto path = dir_ / "seg.wdpseg";
  write_records(path, 1);
  EXPECT_FALSE(SegmentWriter::create(path, {1, 0}));
}

}  // namespace
}  // namespace wdp::recorder
