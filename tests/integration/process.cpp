#include "process.h"

#include "wdp/testing/http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>
#include <set>
#include <stdexcept>

namespace wdp::testing {

namespace {

bool can_bind(int type, std::uint16_t port) {
  const int fd = ::socket(AF_INET, type, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::uint16_t free_port() {
  // Ports the kernel hands out for bind(0) and for outgoing connections come from the ephemeral
  // range (32768-60999 on Linux): a port freed there can be taken by any client socket before the
  // child binds it. Below that range only another test picking at random can take it. A port is
  // never handed out twice by one process (callers often pick several before starting anything).
  static std::mt19937 rng(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
  static std::set<std::uint16_t> given;
  std::uniform_int_distribution<int> pick(20000, 32000);
  for (int tries = 0; tries < 200; ++tries) {
    const auto port = static_cast<std::uint16_t>(pick(rng));
    if (given.contains(port) || !can_bind(SOCK_STREAM, port) || !can_bind(SOCK_DGRAM, port)) continue;
    given.insert(port);
    return port;
  }
  throw std::runtime_error("no free loopback port in 20000-32000");
}

TestBus::TestBus(const std::string& bin_dir, const std::string& log_file)
    : frontend_(free_port()), backend_(free_port()), admin_(free_port()) {
  process_ = std::make_unique<Process>(
      bin_dir + "/bus-forwarder",
      std::vector<std::string>{"--frontend", "@tcp://127.0.0.1:" + std::to_string(frontend_), "--backend",
                               "@tcp://127.0.0.1:" + std::to_string(backend_), "--bus-pub", pub(), "--bus-sub", sub(),
                               "--admin-port", std::to_string(admin_)},
      "", log_file);
}

bool TestBus::ready(std::chrono::milliseconds timeout) const { return wait_http_ok(admin_, "/healthz", timeout); }

}  // namespace wdp::testing
