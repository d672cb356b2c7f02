#pragma once
// Appends records to one segment file. Records are encoded into a buffer by append() and reach the
// file in one write() per flush(); sync() makes them durable with fdatasync(). A failed write
// (disk full) cuts the file back to its last good end, so the file never keeps half a record.
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>

#include "record_format.h"
#include "segment_stats.h"

namespace wdp::recorder {

class SegmentWriter {
 public:
  // Creates the file (it must not exist), writes and syncs the header and the directory entry.
  static std::expected<std::unique_ptr<SegmentWriter>, std::string> create(const std::filesystem::path& path,
                                                                           const FileHeader& header);
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  void append(const RecordView& r);
  // Writes the buffered records. On error they are dropped (dropped_on_error() says how many).
  std::expected<void, std::string> flush();
  // flush() + fdatasync(). Returns the sync's duration in seconds.
  std::expected<double, std::string> sync();
  // sync() and close the file; the writer is unusable afterwards.
  std::expected<void, std::string> close();

  const std::filesystem::path& path() const { return path_; }
  const FileHeader& header() const { return header_; }
  // File size once the buffer is written: the rotation criterion.
  std::uint64_t size_bytes() const { return file_size_ + buffer_.size(); }
  const SegmentStats& stats() const { return stats_; }
  std::uint64_t synced_records() const { return synced_records_; }
  bool unsynced() const { return written_records_ != synced_records_ || !buffer_.empty(); }
  std::uint64_t dropped_on_error() const { return dropped_on_error_; }

 private:
  SegmentWriter(std::filesystem::path path, FileHeader header, int fd);

  std::filesystem::path path_;
  FileHeader header_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t file_size_ = 0;
  SegmentStats stats_;          // every appended record
  SegmentStats written_stats_;  // records that reached the file
  std::uint64_t written_records_ = 0;
  std::uint64_t synced_records_ = 0;
  std::uint64_t dropped_on_error_ = 0;
};

}  // namespace wdp::recorder
