#pragma once
// The bus's meeting point: an XSUB frontend that publishers connect to and an XPUB backend that
// subscribers connect to. Any number of publishers and subscribers can come and go, or be
// replicated, without reconfiguring one another: they only know the forwarder's two addresses.
//
// Subscriptions flow backend -> frontend, messages frontend -> backend, zero-copy (message_t moves).
// A subscriber that falls behind loses messages at its own queue (XPUB drops per peer); it sees
// them as sequence gaps and nobody else slows down.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <zmq.hpp>

namespace wdp::bus {

struct ForwarderOptions {
  std::string frontend = "@tcp://127.0.0.1:7100";  // publishers connect here
  std::string backend = "@tcp://127.0.0.1:7101";   // subscribers connect here
  int hwm = 100'000;                               // per-peer queue bound, both directions
};

struct ForwarderStats {
  std::atomic<std::uint64_t> messages{0};       // messages forwarded to subscribers
  std::atomic<std::uint64_t> bytes{0};          // bytes forwarded (all parts)
  std::atomic<std::uint64_t> subscriptions{0};  // subscribe/unsubscribe notices passed upstream
};

class Forwarder {
 public:
  Forwarder(zmq::context_t& context, ForwarderOptions options);

  // Forwards traffic for up to `timeout`; returns the number of messages moved.
  std::size_t run_once(std::chrono::milliseconds timeout);

  const std::string& frontend_endpoint() const { return frontend_endpoint_; }
  const std::string& backend_endpoint() const { return backend_endpoint_; }
  const ForwarderStats& stats() const { return stats_; }

 private:
  std::size_t move_messages(zmq::socket_t& from, zmq::socket_t& to, bool count_as_data);

  zmq::socket_t frontend_;
  zmq::socket_t backend_;
  std::string frontend_endpoint_;
  std::string backend_endpoint_;
  ForwarderStats stats_;
};

}  // namespace wdp::bus
