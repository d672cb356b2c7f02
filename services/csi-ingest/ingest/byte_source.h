#pragma once
// Where stream-format bytes come from: a file, stdin, a serial device or a TCP socket. Each is a
// file descriptor read in chunks; the decoder downstream does the framing.
//
//   file:PATH            read once to the end (faster than real time; timestamps come from the file)
//   stdin                read until EOF
//   serial:/dev/ttyUSB0@921600   raw 8N1 at the given baud; reopened after unplugging
//   tcp:HOST:PORT        connect; reconnect with back-off when the peer goes away
#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace wdp::ingest {

struct ByteSourceSpec {
  enum class Kind { file, stdin_stream, serial, tcp } kind = Kind::file;
  std::string path;      // file or device
  std::string host;      // tcp
  unsigned port = 0;     // tcp
  unsigned baud = 115200;
  bool live() const { return kind == Kind::serial || kind == Kind::tcp; }
};

// Throws std::invalid_argument naming the text on a malformed spec or unsupported baud rate.
ByteSourceSpec parse_byte_source(const std::string& text);

class ByteSource {
 public:
  enum class Status { data, idle, end };  // end: EOF of a file/stdin; live sources never end

  explicit ByteSource(ByteSourceSpec spec);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Waits up to `timeout` for bytes. On Status::data, `out` views the bytes read (valid until the
  // next call). Live sources that lose their device or peer reopen it and report idle meanwhile.
  Status read(std::chrono::milliseconds timeout, std::span<const std::byte>& out);

  const ByteSourceSpec& spec() const { return spec_; }
  std::string describe() const;
  std::uint64_t reconnects() const { return reconnects_; }

 private:
  bool open();  // false when a live source cannot be opened yet
  void close_fd();

  ByteSourceSpec spec_;
  int fd_ = -1;
  std::vector<std::byte> buffer_;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{100};
  std::uint64_t reconnects_ = 0;
};

}  // namespace wdp::ingest
