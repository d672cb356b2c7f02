#pragma once
// A UDP socket read in batches with recvmmsg(2): one system call returns up to `batch`
// datagrams, which is what lets one core keep up with 100k+ frames/s.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>

namespace wdp::ingest {

struct UdpReceiverOptions {
  std::string address = "0.0.0.0";   // sensors send from the LAN
  std::uint16_t port = 5005;          // 0 picks a free port (tests)
  int receive_buffer_bytes = 8 << 20; // kernel queue; absorbs bursts while we publish
  std::size_t batch = 64;             // datagrams per recvmmsg call
  std::size_t max_datagram = 4096;    // larger datagrams are truncated and reported as such
};

class UdpReceiver {
 public:
  // handler(datagram, sender, truncated)
  using Handler = std::function<void(std::span<const std::byte>, const sockaddr_in&, bool)>;

  explicit UdpReceiver(UdpReceiverOptions options);  // throws with the address on failure
  ~UdpReceiver();
  UdpReceiver(const UdpReceiver&) = delete;
  UdpReceiver& operator=(const UdpReceiver&) = delete;

  using BatchDone = std::function<void()>;

  // Waits up to `timeout` for datagrams, then drains up to `max_calls` batches. Returns the count.
  // `batch_done` (optional) runs after the datagrams of each recvmmsg call were handled, e.g. to
  // publish what they produced in one burst.
  std::size_t poll(std::chrono::milliseconds timeout, const Handler& handler, std::size_t max_calls = 16,
                   const BatchDone& batch_done = {});
  // When the datagrams now being handled were received: stamped once per recvmmsg call (they
  // all left the kernel queue in that call), which keeps two clock reads off every datagram.
  std::int64_t batch_wall_ns() const { return batch_wall_ns_; }
  std::int64_t batch_mono_ns() const { return batch_mono_ns_; }
  std::uint16_t port() const { return port_; }
  int fd() const { return fd_; }

 private:
  std::size_t receive_batch(const Handler& handler, const BatchDone& batch_done);

  UdpReceiverOptions options_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::int64_t batch_wall_ns_ = 0;
  std::int64_t batch_mono_ns_ = 0;
  std::vector<std::byte> buffers_;
  std::vector<mmsghdr> headers_;
  std::vector<iovec> iovecs_;
  std::vector<sockaddr_in> senders_;
};

}  // namespace wdp::ingest
