// bus-tap: prints what passes on the bus, one JSON object per message, for operators and tests.
//   bus-tap --topic csi.raw. --count 1000
// prints {"topic":..,"publisher":..,"bus_seq":..,"bytes":..,"frame_seq":..} (frame_seq for CSI
// frames), and a summary with loss counts on stderr at exit.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "wdp/bus/subscriber.h"
#include "wdp/bus/topics.h"
#include "wdp/runtime/shutdown.h"
#include "wdp/v1/csi_frame.pb.h"

int main(int argc, char** argv) {
  CLI::App app{"bus-tap: print bus traffic as JSON lines"};
  app.option_defaults()->always_capture_default();
  std::vector<std::string> endpoints{">tcp://127.0.0.1:7101"};
  std::vector<std::string> topics{""};
  std::uint64_t count = 0;
  double timeout_s = 0;
  app.add_option("--bus-sub", endpoints, "Endpoint(s) to subscribe on")->envname("WDP_BUS_SUB")->delimiter(',');
  app.add_option("--topic", topics, "Topic prefix(es); empty = everything");
  app.add_option("--count", count, "Exit after this many messages (0 = run until SIGTERM)");
  app.add_option("--timeout", timeout_s, "Exit with status 2 after this many seconds (0 = never)");
  CLI11_PARSE(app, argc, argv);

  wdp::runtime::install_shutdown_handlers();
  zmq::context_t ctx;
  wdp::bus::Subscriber sub(ctx, {endpoints, 1'000'000});
  std::uint64_t seen = 0;
  wdp::v1::CsiFrame frame;
  for (const auto& t : topics) {
    sub.on_raw(t, [&](std::span<const std::byte> payload, const wdp::bus::Delivery& d) {
      long long frame_seq = -1;
      if (d.topic.starts_with(wdp::bus::topics::csi_raw) &&
          frame.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
        frame_seq = static_cast<long long>(frame.sequence());
      }
      std::printf("{\"topic\":\"%.*s\",\"publisher\":%u,\"bus_seq\":%llu,\"bytes\":%zu,\"frame_seq\":%lld}\n",
                  static_cast<int>(d.topic.size()), d.topic.data(), d.header.publisher_id,
                  static_cast<unsigned long long>(d.header.sequence), payload.size(), frame_seq);
      ++seen;
    });
  }
  std::fflush(stdout);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  int rc = 0;
  while (!wdp::runtime::stop_requested() && (count == 0 || seen < count)) {
    sub.poll(std::chrono::milliseconds(50));
    std::fflush(stdout);
    if (timeout_s > 0 && std::chrono::steady_clock::now() > deadline) {
      rc = 2;
      break;
    }
  }
  std::fflush(stdout);
  const auto& s = sub.stats();
  std::fprintf(stderr, "bus-tap: received=%llu lost=%llu duplicates=%llu malformed=%llu\n",
               static_cast<unsigned long long>(s.received.load()), static_cast<unsigned long long>(s.lost.load()),
               static_cast<unsigned long long>(s.duplicates.load()), static_cast<unsigned long long>(s.malformed.load()));
  return rc;
}
