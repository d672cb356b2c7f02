#include "wdp/bus/endpoint.h"

#include <stdexcept>

namespace wdp::bus {

Endpoint parse_endpoint(std::string_view text) {
  Endpoint ep;
  if (!text.empty() && (text.front() == '@' || text.front() == '>')) {
    ep.bind = text.front() == '@';
    text.remove_prefix(1);
  }
  if (text.empty() || text.find("://") == std::string_view::npos) {
    throw std::invalid_argument("bus endpoint must look like '@tcp://host:port' (bind) or "
                                "'>tcp://host:port' (connect), got '" + std::string(text) + "'");
  }
  ep.address = std::string(text);
  return ep;
}

std::string attach(zmq::socket_t& socket, const Endpoint& endpoint) {
  if (endpoint.bind) {
    socket.bind(endpoint.address);
    return socket.get(zmq::sockopt::last_endpoint);
  }
  socket.connect(endpoint.address);
  return endpoint.address;
}

}  // namespace wdp::bus
