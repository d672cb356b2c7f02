// bus-bench: throughput and latency of the bus across processes, next to bare cppzmq in the same
// run. One publisher process -> one subscriber process (and a forwarder process in between for the
// "forwarder" case), TCP over loopback, 404-byte messages.
//
//   build/bin/bus-bench [--messages 1000000] [--repeat 5] [--rate 20000] [-o md|json]
//
// Cases:
//   bare       cppzmq XPUB -> SUB, 404-byte blobs, no header, no protobuf (the ceiling)
//   direct     bus::Publisher -> bus::Subscriber, a CsiFrame whose encoding is 404 bytes, serialized
//              per send and parsed per receive, BusHeader sequence tracking on
//   bare-proxy bare, through zmq::proxy (XSUB/XPUB) in a third process: the forwarder's baseline
//   forwarder  as direct, through bus::Forwarder running in a third process
// Throughput = messages received / time from first to last receive, publisher sending flat out.
// Latency = receive wall clock - publish wall clock at a paced rate (--rate msg/s), p50 and p99.
// Every figure is the median over --repeat runs; ratios are to `bare` from the same run.
#include <CLI/CLI.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "wdp/bus/clock.h"
#include "wdp/bus/forwarder.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/v1/csi_frame.pb.h"

namespace {

using namespace std::chrono_literals;
constexpr std::size_t kMessageBytes = 404;
constexpr const char* kTopic = "csi.raw.bench";

struct RunResult {
  double msgs_per_s = 0;
  std::uint64_t received = 0;
  std::uint64_t sent = 0;
  double p50_us = 0;
  double p99_us = 0;
};

// A CsiFrame whose protobuf encoding is exactly kMessageBytes (192 int8 pairs + metadata).
wdp::v1::CsiFrame bench_frame() {
  wdp::v1::CsiFrame f;
  f.set_node_id("bench");
  f.set_source_format(wdp::v1::SOURCE_FORMAT_ESP32_UDP);
  f.set_n_rx(1);
  f.set_n_tx(1);
  f.set_n_bins(192);
  f.set_sample_type(wdp::v1::SAMPLE_TYPE_INT8);
  f.set_center_freq_mhz(2437);
  f.set_sequence(1);
  std::string samples(300, '\x11');
  f.set_samples(samples);
  while (f.ByteSizeLong() < kMessageBytes) {
    samples.push_back('\x11');
    f.set_samples(samples);
  }
  if (f.ByteSizeLong() != kMessageBytes) throw std::logic_error("cannot size the bench frame");
  return f;
}

int free_tcp_port() {
  zmq::context_t ctx;
  zmq::socket_t s(ctx, zmq::socket_type::pub);
  s.bind("tcp://127.0.0.1:*");
  const std::string ep = s.get(zmq::sockopt::last_endpoint);
  return std::stoi(ep.substr(ep.rfind(':') + 1));
}

// Subscriber side: counts messages and latencies until `expected` arrived or the stream idles.
struct SubStats {
  std::uint64_t received = 0;
  double seconds = 0;
  double p50_us = 0, p99_us = 0;
};

SubStats finish(std::uint64_t received, std::chrono::steady_clock::time_point first,
                std::chrono::steady_clock::time_point last, std::vector<double>& lat) {
  SubStats s;
  s.received = received;
  s.seconds = std::chrono::duration<double>(last - first).count();
  if (!lat.empty()) {
    std::sort(lat.begin(), lat.end());
    s.p50_us = lat[lat.size() / 2];
    s.p99_us = lat[std::min(lat.size() - 1, lat.size() * 99 / 100)];
  }
  return s;
}

SubStats run_bare_subscriber(const std::string& endpoint, std::uint64_t expected, bool latency, int ready_fd) {
  zmq::context_t ctx;
  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  sub.set(zmq::sockopt::rcvhwm, 0);
  sub.set(zmq::sockopt::subscribe, "csi.");
  sub.connect(endpoint);
  (void)!write(ready_fd, "r", 1);
  std::vector<double> lat;
  lat.reserve(latency ? expected : 0);
  zmq::message_t topic, body;
  std::uint64_t n = 0;
  std::chrono::steady_clock::time_point first, last;
  sub.set(zmq::sockopt::rcvtimeo, 2000);
  while (n < expected) {
    if (!sub.recv(topic)) break;
    (void)sub.recv(body);
    last = std::chrono::steady_clock::now();
    if (n == 0) first = last;
    if (latency) {
      std::int64_t t;
      std::memcpy(&t, body.data(), 8);
      lat.push_back(double(wdp::bus::wall_ns() - t) / 1e3);
    }
    if (n++ == 0) sub.set(zmq::sockopt::rcvtimeo, 3000);  // after the first, an idle stream ends the run
  }
  return finish(n, first, last, lat);
}

SubStats run_bus_subscriber(const std::string& endpoint, std::uint64_t expected, bool latency, int ready_fd) {
  zmq::context_t ctx;
  wdp::bus::Subscriber sub(ctx, {{endpoint}, 0});
  std::vector<double> lat;
  lat.reserve(latency ? expected : 0);
  std::uint64_t n = 0;
  std::chrono::steady_clock::time_point first, last;
  std::uint64_t checksum = 0;
  sub.on<wdp::v1::CsiFrame>("csi.", [&](const wdp::v1::CsiFrame& f, const wdp::bus::Delivery& d) {
    last = std::chrono::steady_clock::now();
    if (n == 0) first = last;
    checksum += f.sequence();  // touch the parsed message
    if (latency) lat.push_back(double(d.receive_time_ns - d.header.publish_time_ns) / 1e3);
    ++n;
  });
  (void)!write(ready_fd, "r", 1);
  auto idle_since = std::chrono::steady_clock::now();
  while (n < expected) {
    if (sub.poll(100ms) > 0) {
      idle_since = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - idle_since > 3s) {  // a starved forwarder can pause for a while
      break;
    }
  }
  if (checksum == 0 && n > 0) std::fprintf(stderr, "unexpected checksum\n");
  return finish(n, first, last, lat);
}

// Runs `child` in a forked process and returns what it wrote to the result pipe.
template <class Fn>
pid_t fork_child(Fn child) {
  const pid_t pid = fork();
  if (pid == 0) {
    child();
    _exit(0);
  }
  return pid;
}

RunResult run_case(const std::string& name, std::uint64_t messages, bool latency, double rate) {
  const int data_port = free_tcp_port();
  const int back_port = free_tcp_port();
  int ready[2], result[2];
  if (pipe(ready) != 0 || pipe(result) != 0) throw std::runtime_error("pipe");

  pid_t forwarder = -1;
  std::string pub_ep = "tcp://127.0.0.1:" + std::to_string(data_port);
  std::string sub_ep = pub_ep;
  if (name == "bare-proxy") {
    sub_ep = "tcp://127.0.0.1:" + std::to_string(back_port);
    forwarder = fork_child([&] {
      zmq::context_t ctx;
      zmq::socket_t front(ctx, zmq::socket_type::xsub), back(ctx, zmq::socket_type::xpub);
      for (auto* s : {&front, &back}) {
        s->set(zmq::sockopt::sndhwm, 0);
        s->set(zmq::sockopt::rcvhwm, 0);
      }
      front.bind(pub_ep);
      back.bind(sub_ep);
      (void)!write(ready[1], "f", 1);
      zmq::proxy(front, back);
    });
    char c;
    (void)!read(ready[0], &c, 1);
  } else if (name == "forwarder") {
    sub_ep = "tcp://127.0.0.1:" + std::to_string(back_port);
    forwarder = fork_child([&] {
      zmq::context_t ctx;
      wdp::bus::Forwarder fwd(ctx, {"@" + pub_ep, "@" + sub_ep, 0});
      (void)!write(ready[1], "f", 1);
      for (;;) fwd.run_once(100ms);  // killed by the parent
    });
    char c;
    (void)!read(ready[0], &c, 1);
  }

  const pid_t subscriber = fork_child([&] {
    SubStats s = name.starts_with("bare") ? run_bare_subscriber(sub_ep, messages, latency, ready[1])
                                : run_bus_subscriber(">" + sub_ep, messages, latency, ready[1]);
    (void)!write(result[1], &s, sizeof(s));
  });
  char c;
  (void)!read(ready[0], &c, 1);

  // Publisher in this process.
  zmq::context_t ctx;
  RunResult r;
  SubStats sub_result{};
  const auto interval = std::chrono::nanoseconds(latency ? static_cast<std::int64_t>(1e9 / rate) : 0);
  auto next = std::chrono::steady_clock::now();
  auto pace = [&] {
    if (!latency) return;
    next += interval;
    std::this_thread::sleep_until(next);
  };
  if (name.starts_with("bare")) {
    zmq::socket_t pub(ctx, zmq::socket_type::xpub);
    pub.set(zmq::sockopt::sndhwm, 0);
    if (name == "bare") {
      pub.bind(pub_ep);
    } else {
      pub.connect(pub_ep);
    }
    zmq::message_t sub_msg;
    (void)pub.recv(sub_msg);  // wait for the subscription
    std::vector<char> blob(kMessageBytes, '\x11');
    for (std::uint64_t i = 0; i < messages; ++i) {
      const std::int64_t t = wdp::bus::wall_ns();
      std::memcpy(blob.data(), &t, 8);
      pub.send(zmq::buffer(kTopic, std::strlen(kTopic)), zmq::send_flags::sndmore);
      pub.send(zmq::buffer(blob.data(), blob.size()));
      pace();
    }
    r.sent = messages;
    (void)!read(result[0], &sub_result, sizeof(sub_result));
  } else {
    wdp::bus::Publisher pub(ctx, {(name == "forwarder" ? ">" : "@") + pub_ep, 0});
    if (!pub.wait_for_subscriber(kTopic, 5s)) throw std::runtime_error("no subscriber for " + name);
    auto frame = bench_frame();
    for (std::uint64_t i = 0; i < messages; ++i) {
      frame.set_sequence(i + 1);
      pub.publish(kTopic, frame);
      pace();
    }
    r.sent = pub.stats().sent;
    // Wait for the subscriber before the publisher closes: its socket has linger 0, so closing
    // early would discard whatever the forwarder has not taken yet.
    (void)!read(result[0], &sub_result, sizeof(sub_result));
  }
  const SubStats s = sub_result;
  waitpid(subscriber, nullptr, 0);
  if (forwarder > 0) {
    kill(forwarder, SIGKILL);
    waitpid(forwarder, nullptr, 0);
  }
  for (int fd : {ready[0], ready[1], result[0], result[1]}) close(fd);
  r.received = s.received;
  r.msgs_per_s = s.seconds > 0 ? double(s.received) / s.seconds : 0;
  r.p50_us = s.p50_us;
  r.p99_us = s.p99_us;
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bus-bench: bus throughput and latency across processes vs bare cppzmq"};
  app.option_defaults()->always_capture_default();
  std::uint64_t messages = 1'000'000;
  std::uint64_t latency_messages = 50'000;
  int repeat = 5;
  double rate = 10'000;
  std::string format = "md";
  app.add_option("--messages", messages, "Messages per throughput run");
  app.add_option("--latency-messages", latency_messages, "Messages per latency run");
  app.add_option("--repeat", repeat, "Runs per case; figures are medians");
  app.add_option("--rate", rate, "Paced send rate for the latency runs, msg/s");
  app.add_option("-o,--output", format, "md or json")->check(CLI::IsMember({"md", "json"}));
  CLI11_PARSE(app, argc, argv);

  nlohmann::json out = nlohmann::json::array();
  double bare_tput = 0;
  double proxy_tput = 0;
  for (const std::string name : {"bare", "direct", "bare-proxy", "forwarder"}) {
    std::vector<double> tput, loss, p50, p99;
    for (int i = 0; i < repeat; ++i) {
      const auto t = run_case(name, messages, false, rate);
      tput.push_back(t.msgs_per_s);
      loss.push_back(t.sent ? 1.0 - double(t.received) / double(t.sent) : 1.0);
      const auto l = run_case(name, latency_messages, true, rate);
      p50.push_back(l.p50_us);
      p99.push_back(l.p99_us);
    }
    if (name == "bare") bare_tput = median(tput);
    if (name == "bare-proxy") proxy_tput = median(tput);
    // The forwarder case compares with bare cppzmq through zmq::proxy: the same three processes.
    const double base = name == "forwarder" ? proxy_tput : bare_tput;
    out.push_back({{"case", name},
                   {"msgs_per_s", median(tput)},
                   {"baseline", name == "forwarder" ? "bare-proxy" : "bare"},
                   {"ratio_to_baseline", base > 0 ? median(tput) / base : 0},
                   {"loss", median(loss)},
                   {"latency_p50_us", median(p50)},
                   {"latency_p99_us", median(p99)},
                   {"runs", repeat}});
  }
  if (format == "json") {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("| case | msgs/s (median of %d) | baseline | ratio | loss | p50 latency (us) @ %.0f msg/s | p99 latency (us) |\n",
              repeat, rate);
  std::printf("|---|---:|---|---:|---:|---:|---:|\n");
  for (const auto& r : out) {
    std::printf("| %s | %.0f | %s | %.2f | %.4f%% | %.1f | %.1f |\n", r["case"].get<std::string>().c_str(),
                r["msgs_per_s"].get<double>(), r["baseline"].get<std::string>().c_str(),
                r["ratio_to_baseline"].get<double>(), 100 * r["loss"].get<double>(),
                r["latency_p50_us"].get<double>(), r["latency_p99_us"].get<double>());
  }
  return 0;
}
