#pragma once
// Typed publishing of protobuf messages: one bus message = [topic][BusHeader + payload].
//
// The socket is an XPUB, so the publisher sees subscriptions arrive and can wait for a subscriber
// instead of sleeping (the "slow joiner" problem). Sends never block: when the send queue to a peer
// is full (high-water mark), the message is dropped and counted in stats().dropped.
//
// Thread safety: a Publisher belongs to one thread (ZeroMQ sockets are not thread-safe). stats()
// may be read from any thread.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <zmq.hpp>

namespace google::protobuf {
class MessageLite;
}

namespace wdp::bus {

// Lets maps keyed by std::string be searched with a string_view without allocating.
struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct PublisherOptions {
  // Where to publish: ">tcp://host:port" connects to the forwarder's frontend (default topology);
  // "@tcp://host:port" binds for direct subscribers.
  std::string endpoint = ">tcp://127.0.0.1:7100";
  // Messages queued per peer before new ones are dropped and counted. Bounds memory if the
  // forwarder or a direct subscriber stalls.
  int send_hwm = 100'000;
};

struct PublisherStats {
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> dropped{0};  // refused at the high-water mark
  std::atomic<std::uint64_t> bytes{0};    // payload bytes sent, headers excluded
};

class Publisher {
 public:
  Publisher(zmq::context_t& context, PublisherOptions options);
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Serializes `message` straight into the outgoing frame. Returns false if it was dropped.
  bool publish(std::string_view topic, const google::protobuf::MessageLite& message);
  // For sources that can wait (files, replays): instead of dropping at a full queue, waits up to
  // `timeout` for room. Returns false on timeout or when a signal interrupts the wait.
  bool publish_waiting(std::string_view topic, const google::protobuf::MessageLite& message,
                       std::chrono::milliseconds timeout);
  // Sends already-encoded payload bytes (used by forwarding tools and benches).
  bool publish_bytes(std::string_view topic, std::span<const std::byte> payload);

  // Waits until some subscriber's prefix matches `topic`. Returns false on timeout.
  bool wait_for_subscriber(std::string_view topic, std::chrono::milliseconds timeout);
  // Waits until the exact subscription `prefix` is present (present = true) or gone (false).
  bool wait_for_subscription(std::string_view prefix, bool present, std::chrono::milliseconds timeout);

  // How long closing the publisher may wait to hand queued messages to peers (default 0: a
  // crashed peer must not block shutdown). Services raise it for their clean stop.
  void set_linger(std::chrono::milliseconds linger) { socket_.set(zmq::sockopt::linger, static_cast<int>(linger.count())); }

  const PublisherStats& stats() const { return stats_; }
  std::uint32_t publisher_id() const { return publisher_id_; }
  // The effective endpoint (resolved port after a bind to '*').
  const std::string& endpoint() const { return endpoint_; }

 private:
  bool send_frames(std::string_view topic, zmq::message_t& body, zmq::send_flags wait = zmq::send_flags::dontwait);
  zmq::message_t encode(std::string_view topic, const google::protobuf::MessageLite& message);
  std::uint64_t next_sequence(std::string_view topic);
  void drain_subscriptions(std::chrono::milliseconds wait);
  bool has_subscriber_for(std::string_view topic) const;
  template <class Pred>
  bool wait_until(Pred pred, std::chrono::milliseconds timeout);

  zmq::socket_t socket_;
  std::string endpoint_;
  std::uint32_t publisher_id_;
  std::unordered_map<std::string, std::uint64_t, TransparentStringHash, std::equal_to<>> sequences_;
  std::unordered_set<std::string> subscriptions_;
  PublisherStats stats_;
};

}  // namespace wdp::bus
