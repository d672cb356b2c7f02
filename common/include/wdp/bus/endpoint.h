#pragma once
// Bus endpoints in the czmq convention: "@tcp://127.0.0.1:7100" binds, ">tcp://..." (or no
// prefix) connects. One string per endpoint keeps flags, env vars and compose files uniform.
#include <string>
#include <string_view>
#include <zmq.hpp>

namespace wdp::bus {

struct Endpoint {
  bool bind = false;
  std::string address;  // without the @ / > prefix
};

// Throws std::invalid_argument with the offending text when the address is empty.
Endpoint parse_endpoint(std::string_view text);

// Binds or connects `socket` as the endpoint says. Returns the effective address (after a bind to
// port '*', the port the kernel chose).
std::string attach(zmq::socket_t& socket, const Endpoint& endpoint);

}  // namespace wdp::bus
