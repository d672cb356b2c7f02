#pragma once
// Typed subscription to protobuf messages by topic prefix.
//
//   bus::Subscriber sub(ctx, {});
//   sub.on<wdp::v1::CsiFrame>(bus::topics::csi_raw, [](const wdp::v1::CsiFrame& f, const bus::Delivery& d) { ... });
//   while (!stop) sub.poll(100ms);
//
// Each handler owns one reusable message object, so steady-state parsing does not allocate.
// The subscriber tracks the BusHeader sequence per (publisher, topic) and counts gaps as lost,
// and repeats or out-of-order arrivals as duplicates. A restarted publisher has a new id, so its
// sequence restarting at 0 is not mistaken for anything.
//
// Thread safety: one thread per Subscriber; stats() may be read from any thread.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>
#include <zmq.hpp>

#include "wdp/bus/bus_header.h"

namespace wdp::bus {

struct SubscriberOptions {
  // ">tcp://..." connects (default: the forwarder's backend); "@tcp://..." binds. Several
  // endpoints may be given, e.g. one per directly-connected publisher.
  std::vector<std::string> endpoints = {">tcp://127.0.0.1:7101"};
  // Messages queued before ZeroMQ drops new ones; drops then show up as sequence gaps (lost).
  int recv_hwm = 100'000;
};

struct SubscriberStats {
  std::atomic<std::uint64_t> received{0};
  std::atomic<std::uint64_t> lost{0};        // sequence gaps: messages that never arrived
  std::atomic<std::uint64_t> duplicates{0};  // repeated or out-of-order sequence numbers
  std::atomic<std::uint64_t> malformed{0};   // bad framing, header or payload
  std::atomic<std::uint64_t> unhandled{0};   // no handler prefix matched
};

// What the subscriber knows about one delivered message besides its payload.
struct Delivery {
  std::string_view topic;
  BusHeader header;
  std::int64_t receive_time_ns = 0;  // wall clock at dispatch
};

class Subscriber {
 public:
  using RawHandler = std::function<void(std::span<const std::byte> payload, const Delivery&)>;

  Subscriber(zmq::context_t& context, SubscriberOptions options);
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  // Registers a handler for topics starting with `prefix` and subscribes to it. When several
  // prefixes match, the longest wins.
  template <class Msg>
  void on(std::string_view prefix, std::function<void(const Msg&, const Delivery&)> handler) {
    auto message = std::make_shared<Msg>();
    add_route(prefix, [message, handler = std::move(handler), this](
                          std::span<const std::byte> payload, const Delivery& d) {
      if (!message->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
        stats_.malformed.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      handler(*message, d);
    });
  }
  void on_raw(std::string_view prefix, RawHandler handler) { add_route(prefix, std::move(handler)); }

  // Waits up to `timeout` for traffic, then dispatches what is queued, at most `max_batch`
  // messages. Returns how many were dispatched. Returns 0 early if interrupted by a signal.
  std::size_t poll(std::chrono::milliseconds timeout, std::size_t max_batch = 4096);

  // For callers that multiplex several sockets with zmq::poll.
  zmq::socket_t& socket() { return socket_; }
  const SubscriberStats& stats() const { return stats_; }

 private:
  struct Route {
    std::string prefix;
    RawHandler handler;
  };
  void add_route(std::string_view prefix, RawHandler handler);
  bool receive_one();
  void track_sequence(std::string_view topic, const BusHeader& header);
  const Route* route_for(std::string_view topic) const;

  zmq::socket_t socket_;
  std::vector<Route> routes_;
  std::unordered_map<std::uint64_t, std::uint64_t> next_sequence_;  // key: hash(publisher, topic)
  zmq::message_t topic_msg_;
  zmq::message_t body_msg_;
  SubscriberStats stats_;
};

}  // namespace wdp::bus
