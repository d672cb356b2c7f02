#include "segment_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace wdp::recorder {

namespace {

std::string errno_text(const std::string& what, const std::filesystem::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}

bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// A new file's name is durable only once its directory is synced.
bool sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::expected<std::unique_ptr<SegmentWriter>, std::string> SegmentWriter::create(const std::filesystem::path& path,
                                                                                  const FileHeader& header) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return std::unexpected(errno_text("cannot create", path));
  std::byte head[kFileHeaderSize];
  encode_file_header(header, head);
  if (!write_all(fd, reinterpret_cast<const char*>(head), sizeof head) || ::fdatasync(fd) != 0 ||
      !sync_directory(path.parent_path())) {
    auto err = errno_text("cannot initialise", path);
    ::close(fd);
    ::unlink(path.c_str());
    return std::unexpected(std::move(err));
  }
  auto w = std::unique_ptr<SegmentWriter>(new SegmentWriter(path, header, fd));
  w->file_size_ = kFileHeaderSize;
  return w;
}

SegmentWriter::SegmentWriter(std::filesystem::path path, FileHeader header, int fd)
    : path_(std::move(path)), header_(header), fd_(fd) {
  buffer_.reserve(1 << 20);
}

SegmentWriter::~SegmentWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void SegmentWriter::append(const RecordView& r) {
  const std::size_t before = buffer_.size();
  append_record(r, buffer_);
  stats_.add(r, buffer_.size() - before);
}

std::expected<void, std::string> SegmentWriter::flush() {
  if (buffer_.empty()) return {};
  if (fd_ < 0) return std::unexpected("segment closed: " + path_.string());
  if (!write_all(fd_, buffer_.data(), buffer_.size())) {
    auto err = errno_text("cannot write", path_);
    // Cut back to the last good end so the file never keeps a partial record.
    if (::ftruncate(fd_, static_cast<off_t>(file_size_)) == 0) ::lseek(fd_, static_cast<off_t>(file_size_), SEEK_SET);
    dropped_on_error_ += stats_.records - written_stats_.records;
    stats_ = written_stats_;
    buffer_.clear();
    return std::unexpected(std::move(err));
  }
  file_size_ += buffer_.size();
  buffer_.clear();
  written_stats_ = stats_;
  written_records_ = stats_.records;
  return {};
}

std::expected<double, std::string> SegmentWriter::sync() {
  if (auto f = flush(); !f) return std::unexpected(f.error());
  const auto t0 = std::chrono::steady_clock::now();
  if (::fdatasync(fd_) != 0) return std::unexpected(errno_text("cannot sync", path_));
  synced_records_ = written_records_;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::expected<void, std::string> SegmentWriter::close() {
  if (fd_ < 0) return {};
  auto s = sync();
  ::close(fd_);
  fd_ = -1;
  if (!s) return std::unexpected(s.error());
  return {};
}

}  // namespace wdp::recorder
