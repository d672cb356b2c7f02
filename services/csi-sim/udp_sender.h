#pragma once
// A connected IPv4 UDP socket to one "host:port" target (the csi-ingest listener).
#include <string>
#include <string_view>

namespace wdp::sim {

class UdpSender {
 public:
  explicit UdpSender(const std::string& target);  // throws std::runtime_error
  ~UdpSender();
  UdpSender(const UdpSender&) = delete;
  UdpSender& operator=(const UdpSender&) = delete;
  // False when the kernel refused the datagram (e.g. ENOBUFS); nothing is retried.
  bool send(std::string_view datagram);

 private:
  int fd_ = -1;
};

}  // namespace wdp::sim
