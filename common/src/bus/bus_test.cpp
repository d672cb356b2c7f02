// In-process tests of publisher, subscriber and forwarder on ephemeral loopback ports.
#include <gtest/gtest.h>

#include <pthread.h>
#include <signal.h>

#include <thread>

#include "wdp/bus/forwarder.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/bus/topics.h"
#include "wdp/v1/csi_frame.pb.h"

namespace wdp::bus {
namespace {

using namespace std::chrono_literals;

v1::CsiFrame frame(std::uint64_t seq) {
  v1::CsiFrame f;
  f.set_node_id("n1");
  f.set_sequence(seq);
  f.set_samples(std::string(8, char(seq)));
  return f;
}

// Drives the forwarder on a thread for the test's lifetime.
struct RunningForwarder {
  explicit RunningForwarder(zmq::context_t& ctx)
      : fwd(ctx, {"@tcp://127.0.0.1:*", "@tcp://127.0.0.1:*", 1000}),
        thread([this] {
          while (!stop) fwd.run_once(10ms);
        }) {}
  ~RunningForwarder() {
    stop = true;
    thread.join();
  }
  std::string front() const { return ">" + fwd.frontend_endpoint(); }
  std::string back() const { return ">" + fwd.backend_endpoint(); }
  Forwarder fwd;
  std::atomic<bool> stop{false};
  std::thread thread;
};

TEST(Bus, DirectPublishSubscribeKeepsOrderAndCountsNoLoss) {
  zmq::context_t ctx;
  Publisher pub(ctx, {"@tcp://127.0.0.1:*", 1000});
  Subscriber sub(ctx, {{">" + pub.endpoint()}, 1000});
  std::vector<std::uint64_t> got;
  sub.on<v1::CsiFrame>(topics::csi_raw, [&](const v1::CsiFrame& f, const Delivery& d) {
    got.push_back(f.sequence());
    EXPECT_EQ(d.topic, "csi.raw.n1");
    EXPECT_EQ(d.header.publisher_id, pub.publisher_id());
  });
  ASSERT_TRUE(pub.wait_for_subscriber("csi.raw.n1", 2s));
  for (std::uint64_t i = 0; i < 500; ++i) ASSERT_TRUE(pub.publish("csi.raw.n1", frame(i)));
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (got.size() < 500 && std::chrono::steady_clock::now() < deadline) sub.poll(50ms);
  ASSERT_EQ(got.size(), 500u);
  for (std::uint64_t i = 0; i < 500; ++i) ASSERT_EQ(got[i], i);
  EXPECT_EQ(sub.stats().lost, 0u);
  EXPECT_EQ(sub.stats().duplicates, 0u);
}

TEST(Bus, ThroughForwarderWithPrefixFiltering) {
  zmq::context_t ctx;
  RunningForwarder fwd(ctx);
  Publisher pub(ctx, {fwd.front(), 1000});
  Subscriber sub(ctx, {{fwd.back()}, 1000});
  int n1 = 0, hb = 0;
  sub.on<v1::CsiFrame>("csi.raw.n1", [&](const v1::CsiFrame&, const Delivery&) { ++n1; });
  sub.on_raw(topics::heartbeat, [&](std::span<const std::byte>, const Delivery&) { ++hb; });
  ASSERT_TRUE(pub.wait_for_subscriber("csi.raw.n1", 2s));
  ASSERT_TRUE(pub.wait_for_subscriber("hb.x", 2s));
  for (int i = 0; i < 10; ++i) {
    pub.publish("csi.raw.n1", frame(i));
    pub.publish("csi.raw.n2", frame(i));  // not subscribed: must not arrive
    pub.publish("hb.x", frame(i));
  }
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while ((n1 < 10 || hb < 10) && std::chrono::steady_clock::now() < deadline) sub.poll(50ms);
  EXPECT_EQ(n1, 10);
  EXPECT_EQ(hb, 10);
  EXPECT_EQ(sub.stats().unhandled, 0u);
  EXPECT_EQ(sub.stats().received, 20u);
}

TEST(Bus, SubscriberCountsGapsAsLostAndRepeatsAsDuplicates) {
  zmq::context_t ctx;
  // Hand-made frames let us send sequence numbers out of order.
  zmq::socket_t raw(ctx, zmq::socket_type::pub);
  raw.bind("tcp://127.0.0.1:*");
  Subscriber sub(ctx, {{">" + raw.get(zmq::sockopt::last_endpoint)}, 1000});
  int delivered = 0;
  sub.on_raw("t", [&](std::span<const std::byte>, const Delivery&) { ++delivered; });
  auto send = [&](std::uint64_t seq) {
    std::byte body[BusHeader::kSize];
    BusHeader{7, seq, 0}.encode(body);
    raw.send(zmq::str_buffer("t"), zmq::send_flags::sndmore);
    raw.send(zmq::buffer(body, sizeof(body)));
  };
  // Wait until the subscription has reached the PUB socket.
  for (int i = 0; i < 200 && delivered == 0; ++i) {
    send(0);
    sub.poll(10ms);
  }
  ASSERT_GT(delivered, 0);
  sub.poll(50ms);
  const auto base_dup = sub.stats().duplicates.load();
  send(1000);  // gap: 1000 - (last+1)
  send(1001);
  send(5);     // old: duplicate/reorder
  raw.send(zmq::str_buffer("t"));  // single-part: malformed
  for (int i = 0; i < 20; ++i) sub.poll(10ms);
  EXPECT_GE(sub.stats().lost, 900u);
  EXPECT_EQ(sub.stats().duplicates - base_dup, 1u);
  EXPECT_EQ(sub.stats().malformed, 1u);
}

TEST(Bus, ASignalDuringWaitForSubscriberIsNotAnError) {
  // SIGTERM may arrive while a service still waits for its first subscriber: the wait must give
  // up quietly at its deadline instead of throwing (the service would then exit with status 1).
  struct sigaction sa {};
  sa.sa_handler = [](int) {};
  sigemptyset(&sa.sa_mask);  // no SA_RESTART: the poll sees EINTR
  struct sigaction old {};
  ASSERT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
  zmq::context_t ctx;
  Publisher pub(ctx, {"@tcp://127.0.0.1:*", 10});
  const pthread_t waiter = pthread_self();
  std::thread poker([waiter] {
    for (int i = 0; i < 5; ++i) {
      std::this_thread::sleep_for(20ms);
      pthread_kill(waiter, SIGUSR1);
    }
  });
  bool found = true;
  EXPECT_NO_THROW(found = pub.wait_for_subscriber("nobody", 300ms));
  poker.join();
  EXPECT_FALSE(found);
  sigaction(SIGUSR1, &old, nullptr);
}

TEST(Bus, FullQueueDropsAndCountsInsteadOfBlocking) {
  zmq::context_t ctx;
  Publisher pub(ctx, {"@tcp://127.0.0.1:*", 10});
  zmq::socket_t slow(ctx, zmq::socket_type::sub);  // never reads
  slow.set(zmq::sockopt::rcvhwm, 10);
  slow.set(zmq::sockopt::subscribe, "");
  slow.connect(pub.endpoint());
  ASSERT_TRUE(pub.wait_for_subscriber("x", 2s));
  v1::CsiFrame big = frame(1);
  big.set_samples(std::string(64 * 1024, 'x'));  // fills kernel buffers quickly too
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5000; ++i) pub.publish("x", big);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // never blocked
  EXPECT_GT(pub.stats().dropped, 0u);
  EXPECT_EQ(pub.stats().sent + pub.stats().dropped, 5000u);
}

TEST(Bus, PublishWaitingWaitsForRoomInsteadOfDropping) {
  zmq::context_t ctx;
  Publisher pub(ctx, {"@tcp://127.0.0.1:*", 10});
  Subscriber sub(ctx, {{">" + pub.endpoint()}, 10});
  std::uint64_t got = 0;
  sub.on<v1::CsiFrame>("x", [&](const v1::CsiFrame&, const Delivery&) { ++got; });
  ASSERT_TRUE(pub.wait_for_subscriber("x", 2s));
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) sub.poll(5ms);
  });
  v1::CsiFrame big = frame(1);
  big.set_samples(std::string(16 * 1024, 'x'));
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(pub.publish_waiting("x", big, 5s));
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (sub.stats().received < 2000 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  done = true;
  reader.join();
  EXPECT_EQ(pub.stats().dropped, 0u);
  EXPECT_EQ(sub.stats().received, 2000u);
  EXPECT_EQ(sub.stats().lost, 0u);
}

TEST(Bus, MalformedPayloadIsCountedNotDelivered) {
  zmq::context_t ctx;
  Publisher pub(ctx, {"@tcp://127.0.0.1:*", 1000});
  Subscriber sub(ctx, {{">" + pub.endpoint()}, 1000});
  int delivered = 0;
  sub.on<v1::CsiFrame>("csi.", [&](const v1::CsiFrame&, const Delivery&) { ++delivered; });
  ASSERT_TRUE(pub.wait_for_subscriber("csi.x", 2s));
  const std::byte junk[] = {std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF}};
  pub.publish_bytes("csi.x", junk);
  pub.publish("csi.x", frame(3));
  for (int i = 0; i < 20 && delivered == 0; ++i) sub.poll(20ms);
  EXPECT_EQ(delivered, 1);
  EXPECT_EQ(sub.stats().malformed, 1u);
}

}  // namespace
}  // namespace wdp::bus
