// gateway-bench: load against a running api-gateway (run.sh starts one and drives this).
//   feed          publish sensing updates for --nodes nodes at --rate Hz for --seconds (data for wrk)
//   ws-fanout     --clients WebSocket clients on /api/v1/stream/sensing while updates go out at
//                 --rate Hz for --seconds: per-client delivery and bus -> client latency
//   grpc-latency  one StreamSensing client; latency bus publish -> gRPC client, with the same
//                 messages received by a plain bus subscriber in this process as the baseline
// Latency = receive wall clock - origin.publish_time_ns set just before publishing (same host).
#include <utility>  // Boost 1.74 asio misses this include under C++23

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <grpcpp/grpcpp.h>
#include <iostream>
#include <mutex>
#include <thread>

#include "wdp/bus/clock.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/v1/gateway.grpc.pb.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using wdp::bus::wall_ns;

struct Options {
  std::string bus_pub = ">tcp://127.0.0.1:7100";
  std::string bus_sub = ">tcp://127.0.0.1:7101";
  std::uint16_t http_port = 8080;
  std::string grpc = "127.0.0.1:50051";
  std::string key;
  double rate = 20;
  int nodes = 3;
  double seconds = 10;
  int clients = 1000;
};

wdp::v1::SensingUpdate make_update(const std::string& node, std::uint64_t seq) {
  wdp::v1::SensingUpdate u;
  u.mutable_origin()->set_service("gateway-bench");
  u.mutable_origin()->set_node_id(node);
  u.mutable_origin()->set_sequence(seq);
  u.set_calibrated(true);
  u.set_presence(seq % 40 < 20);
  u.set_presence_confidence(0.8);
  u.set_motion(0.3);
  u.set_motion_state(wdp::v1::MOTION_STATE_PRESENT_STILL);
  u.mutable_breathing()->set_valid(true);
  u.mutable_breathing()->set_rate_per_min(14.0);
  u.mutable_breathing()->set_confidence(0.7);
  u.set_frame_rate_hz(100);
  for (int i = 0; i < 56; ++i) u.add_amplitude(10.0f + static_cast<float>(i % 7));
  return u;
}

// Publishes at `rate` Hz per node for `seconds`; calls on_sent(seq, publish_ns) per message.
template <class OnSent>
void publish_loop(wdp::bus::Publisher& pub, const Options& o, OnSent on_sent) {
  const auto period = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / o.rate));
  auto next = std::chrono::steady_clock::now();
  const auto n = static_cast<std::uint64_t>(o.rate * o.seconds);
  for (std::uint64_t seq = 0; seq < n; ++seq) {
    std::this_thread::sleep_until(next);
    next += period;
    for (int k = 0; k < o.nodes; ++k) {
      auto u = make_update("bench-" + std::to_string(k), seq);
      const auto t = wall_ns();
      u.mutable_origin()->set_capture_time_ns(t);
      u.mutable_origin()->set_publish_time_ns(t);
      pub.publish("sensing.bench-" + std::to_string(k), u);
      if (k == 0) on_sent(seq, t);
    }
  }
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}

int feed(const Options& o) {
  zmq::context_t ctx;
  wdp::bus::Publisher pub(ctx, {.endpoint = o.bus_pub});
  if (!pub.wait_for_subscriber("sensing.bench-0", 10s)) {
    std::cerr << "no subscriber for sensing.* (is the gateway running?)\n";
    return 1;
  }
  publish_loop(pub, o, [](std::uint64_t, std::int64_t) {});
  return 0;
}

// Extracts "sequence":"N" from protobuf JSON without a full parse (1000 clients x 20 Hz).
std::int64_t sequence_of(std::string_view json) {
  const auto p = json.find("\"sequence\":\"");
  if (p == std::string_view::npos) return -1;
  std::int64_t v = 0;
  for (auto i = p + 12; i < json.size() && json[i] >= '0' && json[i] <= '9'; ++i) v = v * 10 + (json[i] - '0');
  return v;
}

struct WsClient : std::enable_shared_from_this<WsClient> {
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buf;
  std::uint64_t received = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> seen;  // (sequence, receive ns)
  explicit WsClient(asio::io_context& io) : ws(asio::make_strand(io)) {}
  void read() {
    ws.async_read(buf, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      const auto now = wall_ns();
      const auto data = beast::buffers_to_string(self->buf.data());
      self->buf.consume(self->buf.size());
      ++self->received;
      self->seen.emplace_back(sequence_of(data), now);
      self->read();
    });
  }
};

int ws_fanout(const Options& o) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  asio::io_context io;
  std::vector<std::shared_ptr<WsClient>> clients;
  const std::string target = "/api/v1/stream/sensing?node=bench-0&access_token=" + o.key;
  for (int i = 0; i < o.clients; ++i) {
    auto c = std::make_shared<WsClient>(io);
    beast::get_lowest_layer(c->ws).connect({asio::ip::make_address("127.0.0.1"), o.http_port});
    c->ws.handshake("127.0.0.1", target);
    c->read();
    clients.push_back(std::move(c));
  }
  std::thread t1([&] { io.run(); });
  std::thread t2([&] { io.run(); });
  zmq::context_t ctx;
  wdp::bus::Publisher pub(ctx, {.endpoint = o.bus_pub});
  if (!pub.wait_for_subscriber("sensing.bench-0", 10s)) {
    std::cerr << "no subscriber for sensing.*\n";
    return 1;
  }
  std::this_thread::sleep_for(300ms);
  std::vector<std::int64_t> sent_at;
  publish_loop(pub, o, [&](std::uint64_t, std::int64_t t) { sent_at.push_back(t); });
  std::this_thread::sleep_for(1s);  // let the last messages arrive
  io.stop();
  t1.join();
  t2.join();
  std::vector<double> lat_ms;
  std::uint64_t min_received = ~0ULL, total = 0;
  int behind = 0;
  for (const auto& c : clients) {
    min_received = std::min(min_received, c->received);
    total += c->received;
    if (c->received < sent_at.size() * 99 / 100) ++behind;
    for (const auto& [seq, at] : c->seen) {
      if (seq >= 0 && static_cast<std::size_t>(seq) < sent_at.size()) lat_ms.push_back((at - sent_at[seq]) / 1e6);
    }
  }
  std::printf("ws-fanout clients=%d rate_hz=%.1f seconds=%.1f sent=%zu delivered=%llu/%llu min_per_client=%llu "
              "clients_below_99pct=%d latency_ms p50=%.2f p99=%.2f max=%.2f\n",
              o.clients, o.rate, o.seconds, sent_at.size(), static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(sent_at.size() * clients.size()),
              static_cast<unsigned long long>(min_received), behind, percentile(lat_ms, 0.5), percentile(lat_ms, 0.99),
              percentile(lat_ms, 1.0));
  return behind == 0 ? 0 : 2;
}

int grpc_latency(const Options& o) {
  auto stub = wdp::v1::Gateway::NewStub(grpc::CreateChannel(o.grpc, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + o.key);
  wdp::v1::StreamRequest req;
  req.add_node_ids("bench-0");
  auto reader = stub->StreamSensing(&ctx, req);
  std::vector<double> grpc_ms, bus_ms;
  std::mutex m;
  std::thread rt([&] {
    wdp::v1::SensingUpdate u;
    while (reader->Read(&u)) {
      const auto now = wall_ns();
      std::lock_guard lock(m);
      grpc_ms.push_back((now - u.origin().publish_time_ns()) / 1e6);
    }
  });
  zmq::context_t zctx;
  wdp::bus::Subscriber sub(zctx, {.endpoints = {o.bus_sub}});
  std::atomic<bool> stop{false};
  sub.on<wdp::v1::SensingUpdate>("sensing.bench-0", [&](const wdp::v1::SensingUpdate& u, const wdp::bus::Delivery&) {
    bus_ms.push_back((wall_ns() - u.origin().publish_time_ns()) / 1e6);
  });
  std::thread st([&] {
    while (!stop) sub.poll(10ms);
  });
  wdp::bus::Publisher pub(zctx, {.endpoint = o.bus_pub});
  if (!pub.wait_for_subscriber("sensing.bench-0", 10s)) {
    std::cerr << "no subscriber\n";
    return 1;
  }
  std::this_thread::sleep_for(500ms);  // the gRPC stream registers with the gateway
  publish_loop(pub, o, [](std::uint64_t, std::int64_t) {});
  std::this_thread::sleep_for(500ms);
  ctx.TryCancel();
  rt.join();
  stop = true;
  st.join();
  std::lock_guard lock(m);
  const double g50 = percentile(grpc_ms, 0.5), g99 = percentile(grpc_ms, 0.99);
  const double b50 = percentile(bus_ms, 0.5), b99 = percentile(bus_ms, 0.99);
  std::printf("grpc-latency messages=%zu p50_ms=%.3f p99_ms=%.3f | bus baseline messages=%zu p50_ms=%.3f p99_ms=%.3f "
              "| ratio p50=%.2f p99=%.2f\n",
              grpc_ms.size(), g50, g99, bus_ms.size(), b50, b99, b50 > 0 ? g50 / b50 : 0, b99 > 0 ? g99 / b99 : 0);
  return grpc_ms.empty() ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gateway-bench: HTTP feed, WebSocket fan-out and gRPC stream latency against an api-gateway"};
  app.require_subcommand(1);
  Options o;
  app.add_option("--bus-pub", o.bus_pub, "forwarder frontend")->capture_default_str();
  app.add_option("--bus-sub", o.bus_sub, "forwarder backend")->capture_default_str();
  app.add_option("--http-port", o.http_port, "gateway HTTP port")->capture_default_str();
  app.add_option("--grpc", o.grpc, "gateway gRPC host:port")->capture_default_str();
  app.add_option("--key", o.key, "API key")->envname("WDP_API_KEY");
  app.add_option("--rate", o.rate, "updates per second per node")->capture_default_str();
  app.add_option("--nodes", o.nodes, "nodes published")->capture_default_str();
  app.add_option("--seconds", o.seconds, "duration")->capture_default_str();
  app.add_option("--clients", o.clients, "WebSocket clients (ws-fanout)")->capture_default_str();
  auto* f = app.add_subcommand("feed", "publish sensing updates");
  auto* w = app.add_subcommand("ws-fanout", "WebSocket fan-out test");
  auto* g = app.add_subcommand("grpc-latency", "gRPC stream latency vs the bus");
  CLI11_PARSE(app, argc, argv);
  try {
    if (*f) return feed(o);
    if (*w) return ws_fanout(o);
    if (*g) return grpc_latency(o);
  } catch (const std::exception& ex) {
    std::cerr << "error: " << ex.what() << "\n";
    return 1;
  }
  return 1;
}
