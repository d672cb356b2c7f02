#include "wdp/bus/publisher.h"

#include <google/protobuf/message_lite.h>

#include <random>
#include <stdexcept>

#include "wdp/bus/bus_header.h"
#include "wdp/bus/clock.h"
#include "wdp/bus/endpoint.h"

namespace wdp::bus {
namespace {

std::uint32_t random_publisher_id() {
  std::random_device rd;
  std::uint32_t id = 0;
  while (id == 0) id = rd();
  return id;
}

}  // namespace

Publisher::Publisher(zmq::context_t& context, PublisherOptions options)
    : socket_(context, zmq::socket_type::xpub), publisher_id_(random_publisher_id()) {
  socket_.set(zmq::sockopt::sndhwm, options.send_hwm);
  socket_.set(zmq::sockopt::linger, 0);
  // Report a full queue as EAGAIN instead of dropping silently, so drops are counted.
  socket_.set(zmq::sockopt::xpub_nodrop, 1);
  endpoint_ = attach(socket_, parse_endpoint(options.endpoint));
}

std::uint64_t Publisher::next_sequence(std::string_view topic) {
  auto it = sequences_.find(topic);
  if (it == sequences_.end()) it = sequences_.emplace(std::string(topic), 0).first;
  return it->second++;
}

bool Publisher::send_frames(std::string_view topic, zmq::message_t& body, zmq::send_flags wait) {
  try {
    if (!socket_.send(zmq::buffer(topic.data(), topic.size()), zmq::send_flags::sndmore | wait)) {
      stats_.dropped.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    // The second part of a multipart message is always accepted once the first was.
    socket_.send(body, zmq::send_flags::dontwait);
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;
    stats_.dropped.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  // Subscription notices queue up on the XPUB; read them now and then so they stay bounded.
  if ((stats_.sent.fetch_add(1, std::memory_order_relaxed) & 0xFFF) == 0) {
    drain_subscriptions(std::chrono::milliseconds(0));
  }
  return true;
}

zmq::message_t Publisher::encode(std::string_view topic, const google::protobuf::MessageLite& message) {
  const std::size_t payload_size = message.ByteSizeLong();
  zmq::message_t body(BusHeader::kSize + payload_size);
  auto* out = static_cast<std::byte*>(body.data());
  BusHeader header{publisher_id_, 0, wall_ns()};
  header.sequence = next_sequence(topic);
  header.encode(out);
  message.SerializeWithCachedSizesToArray(reinterpret_cast<std::uint8_t*>(out + BusHeader::kSize));
  return body;
}

bool Publisher::publish(std::string_view topic, const google::protobuf::MessageLite& message) {
  zmq::message_t body = encode(topic, message);
  const std::size_t payload_size = body.size() - BusHeader::kSize;
  const bool ok = send_frames(topic, body);
  if (ok) stats_.bytes.fetch_add(payload_size, std::memory_order_relaxed);
  return ok;
}

bool Publisher::publish_waiting(std::string_view topic, const google::protobuf::MessageLite& message,
                                std::chrono::milliseconds timeout) {
  zmq::message_t body = encode(topic, message);
  const std::size_t payload_size = body.size() - BusHeader::kSize;
  socket_.set(zmq::sockopt::sndtimeo, static_cast<int>(timeout.count()));
  const bool ok = send_frames(topic, body, zmq::send_flags::none);
  socket_.set(zmq::sockopt::sndtimeo, -1);
  if (ok) stats_.bytes.fetch_add(payload_size, std::memory_order_relaxed);
  return ok;
}

bool Publisher::publish_bytes(std::string_view topic, std::span<const std::byte> payload) {
  zmq::message_t body(BusHeader::kSize + payload.size());
  auto* out = static_cast<std::byte*>(body.data());
  BusHeader header{publisher_id_, next_sequence(topic), wall_ns()};
  header.encode(out);
  if (!payload.empty()) std::memcpy(out + BusHeader::kSize, payload.data(), payload.size());
  const bool ok = send_frames(topic, body);
  if (ok) stats_.bytes.fetch_add(payload.size(), std::memory_order_relaxed);
  return ok;
}

void Publisher::drain_subscriptions(std::chrono::milliseconds wait) {
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  try {
    if (zmq::poll(&item, 1, wait) <= 0) return;
  } catch (const zmq::error_t& e) {
    // A signal (SIGTERM during a startup wait) interrupts the poll: not an error, the caller's
    // loop looks again or gives up at its deadline.
    if (e.num() != EINTR) throw;
    return;
  }
  zmq::message_t msg;
  while (socket_.recv(msg, zmq::recv_flags::dontwait)) {
    if (msg.size() == 0) continue;
    const auto* data = static_cast<const char*>(msg.data());
    std::string prefix(data + 1, msg.size() - 1);
    if (data[0] == 1) {
      subscriptions_.insert(std::move(prefix));
    } else if (data[0] == 0) {
      subscriptions_.erase(prefix);
    }
  }
}

bool Publisher::has_subscriber_for(std::string_view topic) const {
  for (const auto& prefix : subscriptions_) {
    if (topic.starts_with(prefix)) return true;
  }
  return false;
}

template <class Pred>
bool Publisher::wait_until(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    drain_subscriptions(std::chrono::milliseconds(0));
    if (pred()) return true;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    drain_subscriptions(std::min(left, std::chrono::milliseconds(50)));
  }
}

bool Publisher::wait_for_subscriber(std::string_view topic, std::chrono::milliseconds timeout) {
  return wait_until([&] { return has_subscriber_for(topic); }, timeout);
}

bool Publisher::wait_for_subscription(std::string_view prefix, bool present, std::chrono::milliseconds timeout) {
  return wait_until([&] { return subscriptions_.contains(std::string(prefix)) == present; }, timeout);
}

}  // namespace wdp::bus
