// recorder-bench: sustained write rate of the recorder's storage path and replay read rate, next to
// bare write()/read() of the same bytes measured in the same run. 404-byte CSI payloads on topic
// csi.raw.bench (463 file bytes per record with framing).
//
//   build/bin/recorder-bench [--frames 200000] [--repeat 5] [--batch 1000] [--dir DIR] [-o md|json]
//
// Cases (each figure is the median over --repeat runs):
//   write-raw     baseline: write() of the already-encoded records in --batch chunks, fdatasync
//                 every second and at the end (the floor any segment writer pays)
//   write-store   RecordingStore: encode + CRC + append, flush per --batch, tick() (fsync 1 s,
//                 index update), session stop (final sync); ratio to write-raw
//   write-thread  the service path minus the bus: WriterThread fed through its bounded queue
//                 (one allocation per record), until the session is stopped and synced
//   read-raw      baseline: read() of the segment files into a buffer
//   replay        Replayer --max over the session into a null sink: read, resync checks, CRC, pacing
//                 loop; ratio to read-raw
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <thread>

#include "record_format.h"
#include "recording_store.h"
#include "replayer.h"
#include "wdp/bus/clock.h"
#include "writer_thread.h"

namespace {

using namespace wdp::recorder;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
constexpr std::size_t kPayload = 404;
constexpr const char* kTopic = "csi.raw.bench";

struct Rate {
  double frames_per_s = 0;
  double mb_per_s = 0;  // file bytes, 1 MB = 1e6 bytes
};

double seconds_since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

std::string payload_for(std::size_t i) {
  std::string p(kPayload, '\0');
  for (std::size_t k = 0; k < p.size(); ++k) p[k] = static_cast<char>((i * 131 + k) & 0xFF);
  return p;
}

StoreOptions store_options(const fs::path& dir) {
  StoreOptions o;
  o.dir = dir;
  o.retention_max_age_s = 0;
  o.retention_max_bytes = 0;
  return o;
}

Rate write_raw(const fs::path& dir, std::size_t frames, std::size_t batch) {
  fs::create_directories(dir);
  const auto p = payload_for(0);
  std::string encoded;
  append_record({kTopic, 1, 0, 0, 0, std::as_bytes(std::span<const char>(p))}, encoded);
  std::string chunk;
  for (std::size_t i = 0; i < batch; ++i) chunk += encoded;
  const int fd = ::open((dir / "raw.bin").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create bench file in " + dir.string());
  const auto t0 = clock_type::now();
  auto last_sync = t0;
  std::size_t bytes = 0;
  for (std::size_t done = 0; done < frames; done += batch) {
    const std::size_t n = std::min(batch, frames - done) * encoded.size();
    if (::write(fd, chunk.data(), n) != static_cast<ssize_t>(n)) throw std::runtime_error("write failed");
    bytes += n;
    if (clock_type::now() - last_sync >= std::chrono::seconds(1)) {
      ::fdatasync(fd);
      last_sync = clock_type::now();
    }
  }
  ::fdatasync(fd);
  const double s = seconds_since(t0);
  ::close(fd);
  return {static_cast<double>(frames) / s, static_cast<double>(bytes) / s / 1e6};
}

Rate write_store(const fs::path& dir, std::size_t frames, std::size_t batch, std::string& session_id) {
  RecordingStore store(store_options(dir));
  std::vector<std::string> payloads;
  for (std::size_t i = 0; i < 64; ++i) payloads.push_back(payload_for(i));
  const auto t0 = clock_type::now();
  session_id = store.start_session("bench", {}, {"csi.raw."}, false)->id;
  for (std::size_t i = 0; i < frames; ++i) {
    const auto& p = payloads[i % payloads.size()];
    const auto now = wdp::bus::wall_ns();
    if (!store.append({kTopic, 1, i, now, now, std::as_bytes(std::span<const char>(p))})) throw std::runtime_error("append");
    if ((i + 1) % batch == 0) {
      store.flush();
      store.tick();
    }
  }
  const auto done = store.stop_session({});
  const double s = seconds_since(t0);
  return {static_cast<double>(frames) / s, static_cast<double>(done->bytes) / s / 1e6};
}

Rate write_thread(const fs::path& dir, std::size_t frames) {
  wdp::metrics::Registry registry;
  auto& records = registry.counter("records", "");
  auto& bytes = registry.counter("bytes", "");
  RecorderOptions o;
  o.store = store_options(dir);
  o.always_on = false;
  WriterMetrics m;
  m.records = &records;
  m.bytes = &bytes;
  auto writer = std::make_unique<WriterThread>(o, m);
  QueuedCommand start;
  start.start = true;
  start.name = "bench";
  writer->submit(std::move(start));
  const auto p = payload_for(0);
  const auto t0 = clock_type::now();
  for (std::size_t i = 0; i < frames; ++i) {
    QueuedRecord r;
    r.bytes.reserve(std::strlen(kTopic) + p.size());
    r.bytes.append(kTopic).append(p);
    r.topic_len = static_cast<std::uint16_t>(std::strlen(kTopic));
    r.header = {1, i, wdp::bus::wall_ns()};
    r.receive_time_ns = r.header.publish_time_ns;
    while (!writer->submit(std::move(r))) std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  writer.reset();  // drains the queue, stops the session (final sync), joins
  const double s = seconds_since(t0);
  if (records.value() != frames) throw std::runtime_error("writer thread recorded " + std::to_string(records.value()));
  return {static_cast<double>(frames) / s, static_cast<double>(bytes.value()) / s / 1e6};
}

Rate read_raw(const RecordingSource& src, std::size_t frames) {
  std::string buf(1 << 20, '\0');
  std::size_t bytes = 0;
  const auto t0 = clock_type::now();
  for (const auto& seg : src.segments()) {
    const int fd = ::open(seg.c_str(), O_RDONLY | O_CLOEXEC);
    for (ssize_t n; (n = ::read(fd, buf.data(), buf.size())) > 0;) bytes += static_cast<std::size_t>(n);
    ::close(fd);
  }
  const double s = seconds_since(t0);
  return {static_cast<double>(frames) / s, static_cast<double>(bytes) / s / 1e6};
}

Rate replay(const RecordingSource& src) {
  ReplayOptions o;
  o.as_fast_as_possible = true;
  std::size_t sink = 0;
  const auto res = Replayer(src, o).run([&](std::string_view t, std::span<const std::byte> p) {
    sink += t.size() + p.size();
    return true;
  }, {}, [] { return false; });
  if (sink == 0) throw std::runtime_error("nothing replayed");
  return {static_cast<double>(res.sent) / res.seconds, static_cast<double>(res.source.bytes) / res.seconds / 1e6};
}

Rate median(std::vector<Rate> v) {
  std::sort(v.begin(), v.end(), [](const Rate& a, const Rate& b) { return a.frames_per_s < b.frames_per_s; });
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"recorder-bench: recorder write and replay rates vs bare write()/read() in the same run"};
  app.option_defaults()->always_capture_default();
  std::size_t frames = 200'000, batch = 1000;
  int repeat = 5;
  std::string dir = (fs::temp_directory_path() / ("wdp-recorder-bench-" + std::to_string(::getpid()))).string();
  std::string format = "md";
  app.add_option("--frames", frames, "Frames per run");
  app.add_option("--repeat", repeat, "Runs per case (median reported)")->check(CLI::PositiveNumber);
  app.add_option("--batch", batch, "Records per write() / flush");
  app.add_option("--dir", dir, "Scratch directory (on the disk to measure)");
  app.add_option("-o", format, "Output: md or json")->check(CLI::IsMember({"md", "json"}));
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  std::map<std::string, std::vector<Rate>> runs;
  for (int r = 0; r < repeat; ++r) {
    const fs::path run_dir = fs::path(dir) / std::to_string(r);
    fs::remove_all(run_dir);
    runs["write-raw"].push_back(write_raw(run_dir / "raw", frames, batch));
    std::string id;
    runs["write-store"].push_back(write_store(run_dir / "store", frames, batch, id));
    runs["write-thread"].push_back(write_thread(run_dir / "thread", frames));
    RecordingSource src(run_dir / "store" / "sessions" / id);
    runs["read-raw"].push_back(read_raw(src, frames));
    runs["replay"].push_back(replay(src));
    fs::remove_all(run_dir);
  }
  fs::remove_all(dir);

  const std::vector<std::pair<std::string, std::string>> rows = {
      {"write-raw", "write-raw"}, {"write-store", "write-raw"}, {"write-thread", "write-raw"},
      {"read-raw", "read-raw"},   {"replay", "read-raw"}};
  nlohmann::json out = nlohmann::json::array();
  if (format == "md") {
    std::printf("recorder-bench: %zu frames x %d runs, 404-byte payloads, batch %zu, dir %s\n\n", frames, repeat, batch,
                dir.c_str());
    std::printf("| case | frames/s | MB/s (file) | ratio to baseline |\n|---|---:|---:|---:|\n");
  }
  for (const auto& [name, base] : rows) {
    const Rate m = median(runs[name]);
    const double ratio = m.frames_per_s / median(runs[base]).frames_per_s;
    if (format == "md") {
      std::printf("| %s | %.0f | %.1f | %.2f (vs %s) |\n", name.c_str(), m.frames_per_s, m.mb_per_s, ratio, base.c_str());
    } else {
      out.push_back({{"case", name}, {"frames_per_s", m.frames_per_s}, {"mb_per_s", m.mb_per_s}, {"baseline", base},
                     {"ratio", ratio}});
    }
  }
  if (format == "json") std::printf("%s\n", out.dump(2).c_str());
  return 0;
}
