#include "wdp/bus/subscriber.h"

#include "wdp/bus/clock.h"
#include "wdp/bus/endpoint.h"

namespace wdp::bus {

Subscriber::Subscriber(zmq::context_t& context, SubscriberOptions options)
    : socket_(context, zmq::socket_type::sub) {
  socket_.set(zmq::sockopt::rcvhwm, options.recv_hwm);
  socket_.set(zmq::sockopt::linger, 0);
  for (const auto& text : options.endpoints) attach(socket_, parse_endpoint(text));
}

void Subscriber::add_route(std::string_view prefix, RawHandler handler) {
  socket_.set(zmq::sockopt::subscribe, prefix);
  routes_.push_back(Route{std::string(prefix), std::move(handler)});
}

const Subscriber::Route* Subscriber::route_for(std::string_view topic) const {
  const Route* best = nullptr;
  for (const auto& r : routes_) {
    if (topic.starts_with(r.prefix) && (!best || r.prefix.size() > best->prefix.size())) best = &r;
  }
  return best;
}

void Subscriber::track_sequence(std::string_view topic, const BusHeader& header) {
  const std::uint64_t key =
      std::hash<std::string_view>{}(topic) ^ (std::uint64_t{header.publisher_id} * 0x9E3779B97F4A7C15ull);
  auto [it, inserted] = next_sequence_.try_emplace(key, header.sequence + 1);
  if (inserted) return;  // first message seen from this publisher on this topic
  if (header.sequence == it->second) {
    ++it->second;
  } else if (header.sequence > it->second) {
    stats_.lost.fetch_add(header.sequence - it->second, std::memory_order_relaxed);
    it->second = header.sequence + 1;
  } else {
    stats_.duplicates.fetch_add(1, std::memory_order_relaxed);
  }
}

bool Subscriber::receive_one() {
  if (!socket_.recv(topic_msg_, zmq::recv_flags::dontwait)) return false;
  if (!topic_msg_.more()) {
    stats_.malformed.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  (void)socket_.recv(body_msg_, zmq::recv_flags::none);  // parts of one message arrive together
  // Swallow any unexpected extra parts so framing stays aligned.
  bool extra = false;
  while (body_msg_.more()) {
    extra = true;
    (void)socket_.recv(body_msg_, zmq::recv_flags::none);
  }
  const std::span<const std::byte> body(static_cast<const std::byte*>(body_msg_.data()),
                                        body_msg_.size());
  const auto header = BusHeader::decode(body);
  if (extra || !header) {
    stats_.malformed.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  stats_.received.fetch_add(1, std::memory_order_relaxed);
  const std::string_view topic(static_cast<const char*>(topic_msg_.data()), topic_msg_.size());
  track_sequence(topic, *header);
  const Route* route = route_for(topic);
  if (!route) {
    stats_.unhandled.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  route->handler(body.subspan(BusHeader::kSize), Delivery{topic, *header, wall_ns()});
  return true;
}

std::size_t Subscriber::poll(std::chrono::milliseconds timeout, std::size_t max_batch) {
  std::size_t n = 0;
  try {
    if (!receive_one()) {
      zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
      if (zmq::poll(&item, 1, timeout) <= 0) return 0;
    } else {
      ++n;
    }
    while (n < max_batch && receive_one()) ++n;
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;
  }
  return n;
}

}  // namespace wdp::bus
