// ingest-udp-bench: a loopback load generator for csi-ingest. It sends ESP32 ADR-018 raw frames
// (64, 128 and 192 subcarriers, mixed, 4 nodes) with sendmmsg(2) and measures, in the same run:
//
//   ceiling    a bare recvmmsg receiver process counting datagrams (no decoding): the most this
//              machine can move over loopback UDP
//   csi-ingest the real build/bin/csi-ingest process decoding and publishing every frame on the
//              bus (direct bind), with a subscriber process counting the frames it receives
//
// Flat-out runs give frames/s (received / time from first to last); a paced run at --rate gives
// the loss at that rate. Figures are medians over --repeat runs; csi-ingest is reported as a
// ratio to the ceiling of the same run.
//
//   build/bin/ingest-udp-bench [--frames 300000] [--rate 100000] [--repeat 3] [-o md|json]
#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "formats/esp32_encode.h"
#include "wdp/bus/subscriber.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int udp_socket_bound(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  int buf = 8 << 20;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) throw std::runtime_error("bind");
  socklen_t len = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

std::uint16_t free_port(int type) {
  const int fd = ::socket(AF_INET, type, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// The workload: frames of 64/128/192 pairs in rotation from 4 nodes, realistic int8 values.
std::vector<std::string> make_frames(std::size_t count) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> value(-40, 40);
  std::vector<std::string> frames;
  frames.reserve(count);
  const std::uint16_t sizes[] = {64, 128, 192};
  std::uint32_t seq[4] = {};
  for (std::size_t i = 0; i < count; ++i) {
    wdp::ingest::Esp32RawHeader h;
    h.node_id = static_cast<std::uint8_t>(1 + i % 4);
    h.n_subcarriers = sizes[i % 3];
    h.freq_mhz = 2437;
    h.sequence = seq[i % 4]++;
    h.rssi_dbm = -50;
    h.noise_floor_dbm = -92;
    std::vector<std::int8_t> pairs(2 * h.n_subcarriers);
    for (auto& p : pairs) p = static_cast<std::int8_t>(value(rng));
    frames.push_back(wdp::ingest::encode_esp32_raw_frame(h, pairs));
  }
  return frames;
}

// Sends every frame once to 127.0.0.1:port, `rate` frames/s (0 = flat out), in sendmmsg batches.
void send_all(const std::vector<std::string>& frames, std::uint16_t port, double rate) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  int buf = 8 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(port);
  constexpr std::size_t kBatch = 32;
  std::vector<mmsghdr> msgs(kBatch);
  std::vector<iovec> iov(kBatch);
  const auto start = Clock::now();
  std::size_t sent = 0;
  while (sent < frames.size()) {
    const std::size_t n = std::min(kBatch, frames.size() - sent);
    for (std::size_t i = 0; i < n; ++i) {
      iov[i] = {const_cast<char*>(frames[sent + i].data()), frames[sent + i].size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &to;
      msgs[i].msg_hdr.msg_namelen = sizeof(to);
    }
    const int r = ::sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), 0);
    if (r > 0) sent += static_cast<std::size_t>(r);
    if (rate > 0) {
      const auto due = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(sent / rate));
      std::this_thread::sleep_until(due);
    }
  }
  ::close(fd);
}

struct Count {
  std::uint64_t received = 0;
  double seconds = 0;
};

// Child: counts datagrams with recvmmsg until 500 ms of silence after the first one.
Count bare_receiver(int fd, int ready_fd) {
  (void)!write(ready_fd, "r", 1);
  constexpr unsigned kBatch = 64;
  std::vector<char> buf(kBatch * 2048);
  std::vector<mmsghdr> msgs(kBatch);
  std::vector<iovec> iov(kBatch);
  Count c;
  Clock::time_point first, last;
  timeval tv{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  for (;;) {
    for (unsigned i = 0; i < kBatch; ++i) {
      iov[i] = {buf.data() + i * 2048, 2048};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    const int r = ::recvmmsg(fd, msgs.data(), kBatch, MSG_WAITFORONE, nullptr);
    if (r <= 0) break;
    last = Clock::now();
    if (c.received == 0) {
      first = last;
      tv = {0, 500'000};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
    c.received += static_cast<std::uint64_t>(r);
  }
  c.seconds = std::chrono::duration<double>(last - first).count();
  return c;
}

// Child: counts csi.raw.* frames published by csi-ingest.
Count bus_counter(const std::string& endpoint, std::uint64_t expected, int ready_fd) {
  zmq::context_t ctx;
  wdp::bus::Subscriber sub(ctx, {{">" + endpoint}, 0});
  Count c;
  Clock::time_point first, last;
  sub.on_raw("csi.raw.", [&](std::span<const std::byte>, const wdp::bus::Delivery&) {
    last = Clock::now();
    if (c.received++ == 0) first = last;
  });
  (void)!write(ready_fd, "r", 1);
  auto idle = Clock::now();
  while (c.received < expected) {
    if (sub.poll(100ms) > 0) {
      idle = Clock::now();
    } else if (Clock::now() - idle > (c.received == 0 ? 5s : 1s)) {
      break;
    }
  }
  c.seconds = std::chrono::duration<double>(last - first).count();
  return c;
}

template <class Fn>
pid_t fork_child(Fn fn) {
  const pid_t pid = fork();
  if (pid == 0) {
    fn();
    _exit(0);
  }
  return pid;
}

struct Result {
  double frames_per_s = 0;
  double loss = 0;
};

Result run_ceiling(const std::vector<std::string>& frames, double rate) {
  std::uint16_t port = 0;
  const int fd = udp_socket_bound(port);
  int ready[2], result[2];
  (void)!pipe(ready);
  (void)!pipe(result);
  const pid_t child = fork_child([&] {
    const Count c = bare_receiver(fd, ready[1]);
    (void)!write(result[1], &c, sizeof(c));
  });
  ::close(fd);
  char x;
  (void)!read(ready[0], &x, 1);
  send_all(frames, port, rate);
  Count c{};
  (void)!read(result[0], &c, sizeof(c));
  waitpid(child, nullptr, 0);
  for (int f : {ready[0], ready[1], result[0], result[1]}) ::close(f);
  return {c.seconds > 0 ? c.received / c.seconds : 0, 1.0 - double(c.received) / double(frames.size())};
}

Result run_ingest(const std::string& bin, const std::vector<std::string>& frames, double rate) {
  const std::uint16_t udp = free_port(SOCK_DGRAM);
  const std::string bus = "tcp://127.0.0.1:" + std::to_string(free_port(SOCK_STREAM));
  const std::string admin = std::to_string(free_port(SOCK_STREAM));
  const pid_t ingest = fork_child([&] {
    execl(bin.c_str(), bin.c_str(), "--udp-address", "127.0.0.1", "--udp-port", std::to_string(udp).c_str(),
          "--bus-pub", ("@" + bus).c_str(), "--admin-port", admin.c_str(), "--send-hwm", "1000000",
          "--log-level", "warn", static_cast<char*>(nullptr));
    std::perror("exec csi-ingest");
  });
  int ready[2], result[2];
  (void)!pipe(ready);
  (void)!pipe(result);
  std::this_thread::sleep_for(300ms);  // csi-ingest binds its UDP port and bus endpoint
  const pid_t counter = fork_child([&] {
    const Count c = bus_counter(bus, frames.size(), ready[1]);
    (void)!write(result[1], &c, sizeof(c));
  });
  char x;
  (void)!read(ready[0], &x, 1);
  std::this_thread::sleep_for(300ms);  // the subscription reaches csi-ingest's publisher
  send_all(frames, udp, rate);
  Count c{};
  (void)!read(result[0], &c, sizeof(c));
  waitpid(counter, nullptr, 0);
  kill(ingest, SIGTERM);
  waitpid(ingest, nullptr, 0);
  for (int f : {ready[0], ready[1], result[0], result[1]}) ::close(f);
  return {c.seconds > 0 ? c.received / c.seconds : 0, 1.0 - double(c.received) / double(frames.size())};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ingest-udp-bench: csi-ingest UDP throughput and loss vs a bare recvmmsg ceiling"};
  app.option_defaults()->always_capture_default();
  std::size_t count = 300'000;
  double rate = 100'000;
  int repeat = 3;
  std::string format = "md";
  std::string bin = (std::filesystem::path(argv[0]).parent_path() / "csi-ingest").string();
  app.add_option("--frames", count, "Frames per run");
  app.add_option("--rate", rate, "Paced rate for the loss run, frames/s");
  app.add_option("--repeat", repeat, "Runs per case; figures are medians");
  app.add_option("--csi-ingest", bin, "Path of the csi-ingest binary");
  app.add_option("-o,--output", format, "md or json")->check(CLI::IsMember({"md", "json"}));
  CLI11_PARSE(app, argc, argv);

  const auto frames = make_frames(count);
  std::vector<double> ceil_fps, ceil_loss, ingest_fps, ingest_loss, paced_ceil_loss, paced_loss;
  for (int i = 0; i < repeat; ++i) {
    auto a = run_ceiling(frames, 0);
    ceil_fps.push_back(a.frames_per_s);
    ceil_loss.push_back(a.loss);
    auto b = run_ingest(bin, frames, 0);
    ingest_fps.push_back(b.frames_per_s);
    ingest_loss.push_back(b.loss);
    paced_ceil_loss.push_back(run_ceiling(frames, rate).loss);
    paced_loss.push_back(run_ingest(bin, frames, rate).loss);
  }
  const nlohmann::json out = {
      {"frames_per_run", count},
      {"runs", repeat},
      {"ceiling_frames_per_s", median(ceil_fps)},
      {"ceiling_flat_out_loss", median(ceil_loss)},
      {"ingest_frames_per_s", median(ingest_fps)},
      {"ingest_flat_out_loss", median(ingest_loss)},
      {"ingest_ratio_to_ceiling", median(ingest_fps) / median(ceil_fps)},
      {"paced_rate", rate},
      {"ceiling_loss_at_rate", median(paced_ceil_loss)},
      {"ingest_loss_at_rate", median(paced_loss)},
  };
  if (format == "json") {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("| case | frames/s flat out (median of %d) | ratio to ceiling | loss flat out | loss at %.0f frames/s |\n",
              repeat, rate);
  std::printf("|---|---:|---:|---:|---:|\n");
  std::printf("| ceiling (bare recvmmsg) | %.0f | 1.00 | %.3f%% | %.3f%% |\n", median(ceil_fps), 100 * median(ceil_loss),
              100 * median(paced_ceil_loss));
  std::printf("| csi-ingest (decode + publish) | %.0f | %.2f | %.3f%% | %.3f%% |\n", median(ingest_fps),
              median(ingest_fps) / median(ceil_fps), 100 * median(ingest_loss), 100 * median(paced_loss));
  return 0;
}
