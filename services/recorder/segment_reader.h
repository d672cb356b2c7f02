#pragma once
// Reads one segment file (docs/recording-format.md): validates the header, hands out every valid
// record in file order, skips damaged bytes in the middle and stops at a torn tail, counting both.
//
//   auto reader = SegmentReader::open(path);      // std::unexpected only if the file can't be read
//   RecordView r;
//   while (reader->next(r)) use(r);               // views stay valid while the reader lives
//   reader->result().trimmed_bytes;               // complete once next() returned false
#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>

#include "record_format.h"
#include "segment_stats.h"

namespace wdp::recorder {

struct SegmentReadResult {
  bool header_ok = false;
  FileHeader header;
  std::uint64_t file_size = 0;
  std::uint64_t valid_end = 0;      // end of the last complete record: where a torn tail is cut
  std::uint64_t trimmed_bytes = 0;  // torn tail: bytes after the last valid record
  std::uint64_t corrupt_bytes = 0;  // damaged bytes skipped between valid records
  SegmentStats stats;
};

class SegmentReader {
 public:
  static std::expected<SegmentReader, std::string> open(const std::filesystem::path& path);

  bool next(RecordView& out);
  const SegmentReadResult& result() const { return result_; }

 private:
  // Offset of the next valid record at or after `from`, or npos.
  std::size_t resync(std::size_t from) const;

  std::string data_;
  std::size_t pos_ = 0;
  bool done_ = false;
  SegmentReadResult result_;
};

// Reads the whole file and returns the result (every record counted in stats).
std::expected<SegmentReadResult, std::string> scan_segment(const std::filesystem::path& path);

}  // namespace wdp::recorder
