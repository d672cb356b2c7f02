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
// ratio to the ceiling of the same run, and each run's own ratio is listed too.
//
// Accounting: every process shares the machine's cores. In the ceiling run that is the sender
// and a receiver that does almost nothing, so the sender (one core, kernel delivery included)
// sets the pace. In the csi-ingest run the same sender competes with csi-ingest (receive thread
// and ZeroMQ I/O thread) and the counting subscriber (its thread and its ZeroMQ I/O thread), so
// on two cores the ratio is bounded by 2·S / (S + P), S and P being the CPU time per frame of
// the sender and of everything downstream of it. The counter is therefore kept cheap (see
// bus_counter); the sender is deliberately the same in both runs.
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
#include "formats/esp32_udp.h"
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
  std::uint64_t timed = 0;  // received after the first clock stamp: the rate is timed / seconds
  double seconds = 0;
  std::uint64_t bus_gaps = 0;  // BusHeader sequence gaps seen by the subscriber (ZeroMQ drops)
  std::uint64_t checked = 0;   // frames compared with the decode of the datagram that was sent
  std::uint64_t mismatched = 0;
};

// Is `payload` exactly the CsiFrame that decode_esp32_udp() makes of the datagram it came from
// (receive times and ingest_sequence aside, which only csi-ingest knows)? make_frames gives node
// k its sequence numbers in order, so (node, sequence) names the datagram: index 4·seq + k − 1.
bool exact_frame(std::span<const std::byte> payload, const std::vector<std::string>& frames, wdp::v1::CsiFrame& got) {
  if (!got.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return false;
  if (!got.node_id().starts_with("esp32-") || got.node_id().size() != 7) return false;
  const std::size_t index = 4 * got.sequence() + static_cast<std::size_t>(got.node_id()[6] - '1');
  if (index >= frames.size()) return false;
  const auto& d = frames[index];
  auto want = wdp::ingest::decode_esp32_udp(std::as_bytes(std::span(d.data(), d.size())), {}).frame;
  want.set_receive_time_ns(got.receive_time_ns());
  want.set_receive_mono_ns(got.receive_mono_ns());
  want.set_ingest_sequence(got.ingest_sequence());
  return got.receive_time_ns() > 0 && want.SerializeAsString() == got.SerializeAsString();
}

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
    } else {
      c.timed += static_cast<std::uint64_t>(r);
    }
    c.received += static_cast<std::uint64_t>(r);
  }
  c.seconds = std::chrono::duration<double>(last - first).count();
  return c;
}

// Child: counts csi.raw.* frames published by csi-ingest, each received as its own bus message
// (the Subscriber checks every BusHeader sequence). The counter is the apparatus, not the
// subject, so it is kept light on the two shared cores: one clock read per poll rather than per
// frame, and a 200 µs nap after each poll that emptied the queue, so that it (and ZeroMQ's
// hand-off to it) wakes once per few hundred frames rather than every few. The nap is far below
// what the receive queue holds (--recv-hwm 100000 frames).
// Every 997th frame (all sizes and nodes come round) is checked with exact_frame().
Count bus_counter(const std::string& endpoint, const std::vector<std::string>& frames, int ready_fd) {
  const std::uint64_t expected = frames.size();
  zmq::context_t ctx;
  wdp::bus::Subscriber sub(ctx, {{">" + endpoint}, 0});
  Count c;
  Clock::time_point first, last;
  wdp::v1::CsiFrame got;
  sub.on_raw("csi.raw.", [&](std::span<const std::byte> payload, const wdp::bus::Delivery&) {
    if (c.received++ % 997 != 0) return;
    ++c.checked;
    if (!exact_frame(payload, frames, got)) ++c.mismatched;
  });
  (void)!write(ready_fd, "r", 1);
  constexpr std::size_t kMaxBatch = 4096;
  std::uint64_t at_first = 0;
  auto idle = Clock::now();
  while (c.received < expected) {
    const std::size_t n = sub.poll(100ms, kMaxBatch);
    if (n > 0) {
      last = idle = Clock::now();
      if (at_first == 0) {
        first = last;
        at_first = c.received;
      }
      if (n < kMaxBatch) std::this_thread::sleep_for(200us);
    } else if (Clock::now() - idle > (c.received == 0 ? 5s : 1s)) {
      break;
    }
  }
  c.timed = c.received - at_first;
  c.seconds = std::chrono::duration<double>(last - first).count();
  c.bus_gaps = sub.stats().lost.load();
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
  double bus_gaps = 0;
  double checked = 0;
  double mismatched = 0;
};

Result result_of(const Count& c, std::size_t sent) {
  return {c.seconds > 0 ? c.timed / c.seconds : 0, 1.0 - double(c.received) / double(sent), double(c.bus_gaps),
          double(c.checked), double(c.mismatched)};
}

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
  return result_of(c, frames.size());
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
    const Count c = bus_counter(bus, frames, ready[1]);
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
  return result_of(c, frames.size());
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
  std::vector<double> ceil_fps, ceil_loss, ingest_fps, ingest_loss, paced_ceil_loss, paced_loss, ratios;
  double bus_gaps = 0, checked = 0, mismatched = 0;
  for (int i = 0; i < repeat; ++i) {
    auto a = run_ceiling(frames, 0);
    ceil_fps.push_back(a.frames_per_s);
    ceil_loss.push_back(a.loss);
    auto b = run_ingest(bin, frames, 0);
    ingest_fps.push_back(b.frames_per_s);
    ingest_loss.push_back(b.loss);
    ratios.push_back(a.frames_per_s > 0 ? b.frames_per_s / a.frames_per_s : 0);
    paced_ceil_loss.push_back(run_ceiling(frames, rate).loss);
    auto p = run_ingest(bin, frames, rate);
    paced_loss.push_back(p.loss);
    bus_gaps += b.bus_gaps + p.bus_gaps;
    checked += b.checked + p.checked;
    mismatched += b.mismatched + p.mismatched;
  }
  const auto [ratio_min, ratio_max] = std::minmax_element(ratios.begin(), ratios.end());
  const nlohmann::json out = {
      {"frames_per_run", count},
      {"runs", repeat},
      {"ceiling_frames_per_s", median(ceil_fps)},
      {"ceiling_flat_out_loss", median(ceil_loss)},
      {"ingest_frames_per_s", median(ingest_fps)},
      {"ingest_flat_out_loss", median(ingest_loss)},
      {"ingest_ratio_to_ceiling", median(ingest_fps) / median(ceil_fps)},
      {"ingest_ratio_per_run", ratios},  // each run's csi-ingest figure over its own ceiling
      {"ingest_bus_sequence_gaps", bus_gaps},
      {"ingest_frames_checked", checked},  // compared with decode_esp32_udp() of the sent datagram
      {"ingest_frames_mismatched", mismatched},
      {"paced_rate", rate},
      {"ceiling_loss_at_rate", median(paced_ceil_loss)},
      {"ingest_loss_at_rate", median(paced_loss)},
  };
  const int status = mismatched > 0 ? 1 : 0;  // a wrong frame is a failure, not a figure
  if (format == "json") {
    std::printf("%s\n", out.dump(2).c_str());
    return status;
  }
  std::printf("| case | frames/s flat out (median of %d) | ratio to ceiling | loss flat out | loss at %.0f frames/s |\n",
              repeat, rate);
  std::printf("|---|---:|---:|---:|---:|\n");
  std::printf("| ceiling (bare recvmmsg) | %.0f | 1.00 | %.3f%% | %.3f%% |\n", median(ceil_fps), 100 * median(ceil_loss),
              100 * median(paced_ceil_loss));
  std::printf("| csi-ingest (decode + publish) | %.0f | %.2f | %.3f%% | %.3f%% |\n", median(ingest_fps),
              median(ingest_fps) / median(ceil_fps), 100 * median(ingest_loss), 100 * median(paced_loss));
  std::printf("\nPer-run ratio to the same run's ceiling: median %.2f, range %.2f-%.2f; bus sequence gaps: %.0f\n",
              median(ratios), *ratio_min, *ratio_max, bus_gaps);
  std::printf("Frames compared with the decode of the datagram sent: %.0f, mismatched: %.0f\n", checked, mismatched);
  return status;
}
