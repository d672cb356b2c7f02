#include "ingest/byte_source.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>
#include <stdexcept>

namespace wdp::ingest {
namespace {

speed_t baud_constant(unsigned baud) {
  switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 500000: return B500000;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 1500000: return B1500000;
    case 2000000: return B2000000;
    case 3000000: return B3000000;
    default: return 0;
  }
}

int open_serial(const std::string& path, unsigned baud) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  termios t{};
  if (::tcgetattr(fd, &t) == 0) {  // not a tty (e.g. a FIFO in tests): read it as is
    ::cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    ::cfsetispeed(&t, baud_constant(baud));
    ::cfsetospeed(&t, baud_constant(baud));
    ::tcsetattr(fd, TCSANOW, &t);
  }
  return fd;
}

int open_tcp(const std::string& host, unsigned port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) return -1;
  int fd = -1;
  for (auto* a = res; a; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  return fd;
}

}  // namespace

ByteSourceSpec parse_byte_source(const std::string& text) {
  ByteSourceSpec s;
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument("bad source '" + text + "': " + why +
                                 " (file:PATH | stdin | serial:DEVICE[@BAUD] | tcp:HOST:PORT)");
  };
  if (text == "stdin" || text == "-") {
    s.kind = ByteSourceSpec::Kind::stdin_stream;
  } else if (text.starts_with("serial:")) {
    s.kind = ByteSourceSpec::Kind::serial;
    s.path = text.substr(7);
    if (const auto at = s.path.rfind('@'); at != std::string::npos) {
      try {
        s.baud = static_cast<unsigned>(std::stoul(s.path.substr(at + 1)));
      } catch (const std::exception&) {
        throw bad("baud rate is not a number");
      }
      s.path.resize(at);
    }
    if (baud_constant(s.baud) == 0) throw bad("unsupported baud rate " + std::to_string(s.baud));
    if (s.path.empty()) throw bad("no device");
  } else if (text.starts_with("tcp:")) {
    s.kind = ByteSourceSpec::Kind::tcp;
    const auto rest = text.substr(4);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0) throw bad("want tcp:HOST:PORT");
    s.host = rest.substr(0, colon);
    try {
      s.port = static_cast<unsigned>(std::stoul(rest.substr(colon + 1)));
    } catch (const std::exception&) {
      throw bad("port is not a number");
    }
    if (s.port == 0 || s.port > 65535) throw bad("port out of range");
  } else {
    s.kind = ByteSourceSpec::Kind::file;
    s.path = text.starts_with("file:") ? text.substr(5) : text;
    if (s.path.empty()) throw bad("no path");
  }
  return s;
}

ByteSource::ByteSource(ByteSourceSpec spec) : spec_(std::move(spec)), buffer_(64 * 1024) {
  if (!spec_.live() && !open()) {
    throw std::runtime_error("cannot open " + describe() + ": " + std::strerror(errno));
  }
}

ByteSource::~ByteSource() { close_fd(); }

std::string ByteSource::describe() const {
  switch (spec_.kind) {
    case ByteSourceSpec::Kind::file: return "file " + spec_.path;
    case ByteSourceSpec::Kind::stdin_stream: return "stdin";
    case ByteSourceSpec::Kind::serial: return "serial " + spec_.path + " @" + std::to_string(spec_.baud);
    case ByteSourceSpec::Kind::tcp: return "tcp " + spec_.host + ":" + std::to_string(spec_.port);
  }
  return "?";
}

bool ByteSource::open() {
  switch (spec_.kind) {
    case ByteSourceSpec::Kind::file: fd_ = ::open(spec_.path.c_str(), O_RDONLY | O_CLOEXEC); break;
    case ByteSourceSpec::Kind::stdin_stream: fd_ = ::dup(0); break;
    case ByteSourceSpec::Kind::serial: fd_ = open_serial(spec_.path, spec_.baud); break;
    case ByteSourceSpec::Kind::tcp: fd_ = open_tcp(spec_.host, spec_.port); break;
  }
  return fd_ >= 0;
}

void ByteSource::close_fd() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

ByteSource::Status ByteSource::read(std::chrono::milliseconds timeout, std::span<const std::byte>& out) {
  if (fd_ < 0) {  // only live sources get here: retry with exponential back-off up to 5 s
    const auto now = std::chrono::steady_clock::now();
    if (now < next_attempt_ || !open()) {
      if (now >= next_attempt_) {
        next_attempt_ = now + backoff_;
        backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(5000));
      }
      ::usleep(static_cast<useconds_t>(std::min<long>(timeout.count(), 100) * 1000));
      return Status::idle;
    }
    backoff_ = std::chrono::milliseconds(100);
    ++reconnects_;
    spdlog::info("source connected: {}", describe());
  }
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return Status::idle;
  const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
  if (n > 0) {
    out = std::span<const std::byte>(buffer_.data(), static_cast<std::size_t>(n));
    return Status::data;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return Status::idle;
  // EOF or error.
  if (!spec_.live()) return Status::end;
  spdlog::warn("source lost: {} ({}); reconnecting", describe(), n == 0 ? "closed" : std::strerror(errno));
  close_fd();
  next_attempt_ = std::chrono::steady_clock::now() + backoff_;
  return Status::idle;
}

}  // namespace wdp::ingest
