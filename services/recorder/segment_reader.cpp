#include "segment_reader.h"

#include <cstring>
#include <fstream>

namespace wdp::recorder {

std::expected<SegmentReader, std::string> SegmentReader::open(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected("cannot open " + path.string());
  SegmentReader r;
  r.data_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return std::unexpected("cannot read " + path.string());
  r.result_.file_size = r.data_.size();
  const auto header = decode_file_header(std::as_bytes(std::span<const char>(r.data_)));
  if (header) {
    r.result_.header_ok = true;
    r.result_.header = *header;
    r.pos_ = kFileHeaderSize;
    r.result_.valid_end = kFileHeaderSize;
  } else {
    // No readable header: nothing in the file can be trusted.
    r.done_ = true;
    r.result_.trimmed_bytes = r.data_.size();
  }
  return r;
}

bool SegmentReader::next(RecordView& out) {
  const auto all = std::as_bytes(std::span<const char>(data_));
  while (!done_) {
    if (pos_ == data_.size()) {
      done_ = true;
      break;
    }
    std::size_t consumed = 0;
    if (decode_record(all.subspan(pos_), out, consumed) == DecodeStatus::ok) {
      pos_ += consumed;
      result_.valid_end = pos_;
      result_.stats.add(out, consumed);
      return true;
    }
    const std::size_t found = resync(pos_ + 1);
    if (found == std::string::npos) {
      result_.trimmed_bytes = data_.size() - pos_;
      done_ = true;
    } else {
      result_.corrupt_bytes += found - pos_;
      pos_ = found;
    }
  }
  return false;
}

std::size_t SegmentReader::resync(std::size_t from) const {
  const auto all = std::as_bytes(std::span<const char>(data_));
  char sync[4];
  std::memcpy(sync, &kRecordSync, 4);
  for (std::size_t at = data_.find(std::string_view(sync, 4), from); at != std::string::npos;
       at = data_.find(std::string_view(sync, 4), at + 1)) {
    RecordView r;
    std::size_t consumed = 0;
    if (decode_record(all.subspan(at), r, consumed) == DecodeStatus::ok) return at;
  }
  return std::string::npos;
}

std::expected<SegmentReadResult, std::string> scan_segment(const std::filesystem::path& path) {
  auto reader = SegmentReader::open(path);
  if (!reader) return std::unexpected(reader.error());
  RecordView r;
  while (reader->next(r)) {
  }
  return reader->result();
}

}  // namespace wdp::recorder
