#include "wdp/bus/forwarder.h"

#include "wdp/bus/endpoint.h"

namespace wdp::bus {

Forwarder::Forwarder(zmq::context_t& context, ForwarderOptions options)
    : frontend_(context, zmq::socket_type::xsub), backend_(context, zmq::socket_type::xpub) {
  for (auto* s : {&frontend_, &backend_}) {
    s->set(zmq::sockopt::sndhwm, options.hwm);
    s->set(zmq::sockopt::rcvhwm, options.hwm);
    s->set(zmq::sockopt::linger, 0);
  }
  frontend_endpoint_ = attach(frontend_, parse_endpoint(options.frontend));
  backend_endpoint_ = attach(backend_, parse_endpoint(options.backend));
}

std::size_t Forwarder::move_messages(zmq::socket_t& from, zmq::socket_t& to, bool data) {
  constexpr std::size_t kBatch = 4096;  // bounded so neither direction starves the other
  std::size_t moved = 0;
  zmq::message_t part;
  while (moved < kBatch) {
    if (!from.recv(part, zmq::recv_flags::dontwait)) break;
    for (;;) {
      const bool more = part.more();
      if (data) stats_.bytes.fetch_add(part.size(), std::memory_order_relaxed);
      // XPUB drops per slow peer instead of blocking, so this send does not stall.
      to.send(part, more ? zmq::send_flags::sndmore : zmq::send_flags::none);
      if (!more) break;
      (void)from.recv(part, zmq::recv_flags::none);
    }
    ++moved;
  }
  (data ? stats_.messages : stats_.subscriptions).fetch_add(moved, std::memory_order_relaxed);
  return moved;
}

std::size_t Forwarder::run_once(std::chrono::milliseconds timeout) {
  zmq::pollitem_t items[] = {{frontend_.handle(), 0, ZMQ_POLLIN, 0},
                             {backend_.handle(), 0, ZMQ_POLLIN, 0}};
  try {
    if (zmq::poll(items, 2, timeout) <= 0) return 0;
    std::size_t moved = 0;
    if (items[1].revents & ZMQ_POLLIN) move_messages(backend_, frontend_, false);
    if (items[0].revents & ZMQ_POLLIN) moved += move_messages(frontend_, backend_, true);
    return moved;
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;
    return 0;
  }
}

}  // namespace wdp::bus
