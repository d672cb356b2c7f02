#include "udp_receiver.h"

#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "wdp/bus/clock.h"

namespace wdp::ingest {

UdpReceiver::UdpReceiver(UdpReceiverOptions o) : options_(std::move(o)) {
  const std::string where = options_.address + ":" + std::to_string(options_.port);
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("udp socket: " + std::string(std::strerror(errno)));
  // SO_RCVBUF is capped by net.core.rmem_max; as root, FORCE gets the size we asked for, which is
  // what absorbs bursts while a frame is being published.
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &options_.receive_buffer_bytes, sizeof(int)) != 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &options_.receive_buffer_bytes, sizeof(int));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(options_.port);
  if (::inet_pton(AF_INET, options_.address.c_str(), &addr.sin_addr) != 1) {
    ::close(fd_);
    throw std::invalid_argument("bad UDP listen address '" + options_.address + "'");
  }
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    const int err = errno;
    ::close(fd_);
    throw std::runtime_error("cannot bind UDP " + where + ": " + std::strerror(err));
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);

  const std::size_t n = options_.batch;
  buffers_.resize(n * options_.max_datagram);
  headers_.resize(n);
  iovecs_.resize(n);
  senders_.resize(n);
}

UdpReceiver::~UdpReceiver() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t UdpReceiver::receive_batch(const Handler& handler, const BatchDone& batch_done) {
  const std::size_t n = options_.batch;
  for (std::size_t i = 0; i < n; ++i) {
    iovecs_[i] = {buffers_.data() + i * options_.max_datagram, options_.max_datagram};
    headers_[i].msg_hdr = msghdr{};
    headers_[i].msg_hdr.msg_iov = &iovecs_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
    headers_[i].msg_hdr.msg_name = &senders_[i];
    headers_[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
  }
  const int got = ::recvmmsg(fd_, headers_.data(), static_cast<unsigned>(n), MSG_DONTWAIT, nullptr);
  if (got <= 0) return 0;
  batch_wall_ns_ = bus::wall_ns();
  batch_mono_ns_ = bus::mono_ns();
  for (int i = 0; i < got; ++i) {
    const bool truncated = headers_[i].msg_hdr.msg_flags & MSG_TRUNC;
    handler({buffers_.data() + i * options_.max_datagram, headers_[i].msg_len}, senders_[i], truncated);
  }
  if (batch_done) batch_done();
  return static_cast<std::size_t>(got);
}

std::size_t UdpReceiver::poll(std::chrono::milliseconds timeout, const Handler& handler, std::size_t max_calls,
                              const BatchDone& batch_done) {
  std::size_t total = receive_batch(handler, batch_done);
  if (total == 0) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return 0;
  }
  for (std::size_t calls = 0; calls < max_calls; ++calls) {
    const std::size_t got = receive_batch(handler, batch_done);
    total += got;
    if (got < options_.batch) break;
  }
  return total;
}

}  // namespace wdp::ingest
