#include "udp_sender.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace wdp::sim {

UdpSender::UdpSender(const std::string& target) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("UDP target '" + target + "' is not host:port");
  const std::string host = target.substr(0, colon), port = target.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    throw std::runtime_error("UDP target '" + target + "': " + gai_strerror(rc));
  }
  fd_ = socket(res->ai_family, res->ai_socktype, 0);
  const bool ok = fd_ >= 0 && connect(fd_, res->ai_addr, res->ai_addrlen) == 0;
  const int err = errno;
  freeaddrinfo(res);
  if (!ok) throw std::runtime_error("UDP target '" + target + "': " + std::strerror(err));
}

UdpSender::~UdpSender() {
  if (fd_ >= 0) close(fd_);
}

bool UdpSender::send(std::string_view d) { return ::send(fd_, d.data(), d.size(), 0) == static_cast<ssize_t>(d.size()); }

}  // namespace wdp::sim
