// csi-replay: publishes a recording back onto the bus at original timing, N times faster, or as
// fast as possible, in recorded order, with a progress bar on stderr.
//
//   csi-replay --session 20250101T120000Z-a1b2c3 [--speed 4 | --max] [--topic csi.raw.]
//   csi-replay --recording run/recordings/sessions/<id> --bus-pub '>tcp://127.0.0.1:7100'
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <thread>

#include "progress_bar.h"
#include "replayer.h"
#include "wdp/bus/publisher.h"
#include "wdp/runtime/shutdown.h"

int main(int argc, char** argv) {
  using namespace wdp::recorder;
  CLI::App app{"csi-replay: replays a recording onto the bus (docs/recording-format.md)"};
  app.option_defaults()->always_capture_default();
  std::string recording, session, recordings_dir = "run/recordings";
  ReplayOptions o;
  wdp::bus::PublisherOptions pub;
  double wait_s = 10, drain_s = 1;
  bool no_progress = false;
  app.add_option("--recording", recording, "Session directory to replay");
  app.add_option("--session", session, "Session id under --recordings-dir");
  app.add_option("--recordings-dir", recordings_dir, "Recordings root")->envname("WDP_RECORDINGS_DIR");
  app.add_option("--speed", o.speed, "Playback speed factor (1 = original timing)")->check(CLI::PositiveNumber);
  app.add_flag("--max", o.as_fast_as_possible, "As fast as the bus accepts");
  app.add_option("--topic", o.topics, "Replay only topics with this prefix (repeatable)");
  app.add_option("--bus-pub", pub.endpoint, "Where to publish")->envname("WDP_BUS_PUB");
  app.add_option("--send-hwm", pub.send_hwm, "Send queue bound; beyond it sends are retried");
  app.add_option("--wait-subscriber", wait_s, "Seconds to wait for a subscriber before sending");
  app.add_option("--drain", drain_s, "Seconds to keep the socket open after the last send");
  app.add_flag("--no-progress", no_progress, "No progress bar");
  CLI11_PARSE(app, argc, argv);
  wdp::runtime::install_shutdown_handlers();
  try {
    RecordingSource src(RecordingSource::resolve(recording, recordings_dir, session));
    const auto total = src.count();
    if (total.trimmed_bytes || total.corrupt_bytes) {
      spdlog::warn("{}: {} torn-tail and {} damaged bytes skipped", src.dir().string(), total.trimmed_bytes,
                   total.corrupt_bytes);
    }
    std::string first_topic;
    src.for_each([&](const RecordView& r) {
      if (o.topics.empty() || std::any_of(o.topics.begin(), o.topics.end(), [&](auto& p) { return r.topic.starts_with(p); })) {
        first_topic = r.topic;
        return false;
      }
      return true;
    });
    if (first_topic.empty()) {
      spdlog::warn("nothing to replay in {}", src.dir().string());
      return 0;
    }
    zmq::context_t ctx;
    wdp::bus::Publisher publisher(ctx, pub);
    if (!publisher.wait_for_subscriber(first_topic, std::chrono::milliseconds(static_cast<int>(wait_s * 1000)))) {
      spdlog::warn("no subscriber for {} after {} s; replaying anyway", first_topic, wait_s);
    }
    ProgressBar bar("replay", total.records, !no_progress);
    Replayer replayer(src, o);
    const auto res = replayer.run([&](std::string_view t, std::span<const std::byte> p) { return publisher.publish_bytes(t, p); },
                                  [&](std::uint64_t n) { bar.update(n); },
                                  [] { return wdp::runtime::stop_requested(); });
    bar.finish(res.sent);
    // The socket drops what it still queues when it closes (linger 0): give it time to send.
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(drain_s * 1000)));
    spdlog::info("replayed {} records in {:.3f} s ({:.0f}/s), {} retried sends, {} filtered", res.sent, res.seconds,
                 res.seconds > 0 ? static_cast<double>(res.sent) / res.seconds : 0.0, res.retries, res.skipped);
    return wdp::runtime::stop_requested() ? 130 : 0;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
