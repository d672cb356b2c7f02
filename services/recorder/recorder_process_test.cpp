// The recorder as a real process behind a real bus-forwarder on random loopback ports:
// - kill -9 while frames stream in: every segment still reads back, the frames form an unbroken
//   prefix of what was sent, at most ~1 s of them is missing, and a restart closes the session;
// - record -> csi-replay --max -> record again: the two sessions' (topic, payload) sequences are
//   byte-identical.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "process.h"
#include "recording_index.h"
#include "recording_source.h"
#include "segment_reader.h"
#include "wdp/bus/publisher.h"
#include "wdp/bus/subscriber.h"
#include "wdp/bus/topics.h"
#include "wdp/testing/http_get.h"
#include "wdp/testing/temp_dir.h"
#include "wdp/v1/csi_frame.pb.h"
#include "wdp/v1/ground_truth.pb.h"
#include "wdp/v1/recorder.pb.h"

namespace wdp::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
const std::string kBin = WDP_BIN_DIR;

v1::CsiFrame make_frame(const std::string& node, std::uint64_t seq) {
  v1::CsiFrame f;
  f.set_node_id(node);
  f.set_source_format(v1::SOURCE_FORMAT_ESP32_UDP);
  f.set_sequence(seq);
  f.set_n_rx(1);
  f.set_n_tx(1);
  f.set_n_bins(192);
  std::string s(384, '\0');
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>((seq * 31 + i) & 0xFF);
  f.set_samples(s);
  return f;
}

// A metric's value from /metrics (first series whose line starts with `name`), -1 if absent.
double metric(std::uint16_t port, const std::string& name) {
  const auto [code, body] = http_request(port, "/metrics");
  std::smatch m;
  if (code != 200 || !std::regex_search(body, m, std::regex("\n" + name + "(\\{[^}]*\\})? ([0-9.e+]+)"))) return -1;
  return std::stod(m[2]);
}

class RecorderProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("wdp-recorder");
    bus_ = std::make_unique<TestBus>(kBin, (dir_ / "forwarder.log").string());
    ASSERT_TRUE(bus_->ready(10s));
    bus::PublisherOptions po;
    po.endpoint = bus_->pub();
    pub_ = std::make_unique<bus::Publisher>(ctx_, po);
    bus::SubscriberOptions so;
    so.endpoints = {bus_->sub()};
    status_sub_ = std::make_unique<bus::Subscriber>(ctx_, so);
    status_sub_->on<v1::RecordingStatus>(bus::topics::recorder_status,
                                         [this](const v1::RecordingStatus& s, const bus::Delivery&) { statuses_.push_back(s); });
  }
  void TearDown() override {
    recorder_.reset();
    bus_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  void start_recorder(const std::vector<std::string>& extra) {
    admin_ = free_port();
    std::vector<std::string> args{"--bus-pub", bus_->pub(), "--bus-sub", bus_->sub(), "--admin-port", std::to_string(admin_),
                                  "--recordings-dir", (dir_ / "rec").string(), "--log-format", "text"};
    args.insert(args.end(), extra.begin(), extra.end());
    recorder_ = std::make_unique<Process>(kBin + "/recorder", args, "", (dir_ / "recorder.log").string());
    ASSERT_TRUE(wait_http_ok(admin_, "/readyz", 10s)) << "recorder not ready; see " << (dir_ / "recorder.log");
    ASSERT_TRUE(pub_->wait_for_subscriber("csi.raw.x", 10s));
    ASSERT_TRUE(pub_->wait_for_subscriber(std::string(bus::topics::recorder_control), 10s));
  }

  // Sends a command and waits for the status that answers it.
  v1::RecordingStatus command(v1::RecorderCommand cmd) {
    static int n = 0;
    cmd.set_request_id("req-" + std::to_string(++n));
    pub_->publish(bus::topics::recorder_control, cmd);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      status_sub_->poll(50ms);
      for (const auto& s : statuses_) {
        if (s.request_id() == cmd.request_id()) return s;
      }
    }
    ADD_FAILURE() << "no answer to " << cmd.request_id();
    return {};
  }
  v1::RecordingStatus start(const std::string& name, std::vector<std::string> topics) {
    v1::RecorderCommand c;
    c.mutable_start()->set_name(name);
    for (auto& t : topics) c.mutable_start()->add_topics(t);
    return command(c);
  }
  v1::RecordingStatus stop() {
    v1::RecorderCommand c;
    c.mutable_stop();
    return command(c);
  }
  void wait_records(double at_least) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline && metric(admin_, "wdp_recorder_records_total") < at_least) {
      std::this_thread::sleep_for(20ms);
    }
    ASSERT_GE(metric(admin_, "wdp_recorder_records_total"), at_least);
  }

  fs::path dir_;
  std::uint16_t admin_ = 0;
  zmq::context_t ctx_;
  std::unique_ptr<TestBus> bus_;
  std::unique_ptr<Process> recorder_;
  std::unique_ptr<bus::Publisher> pub_;
  std::unique_ptr<bus::Subscriber> status_sub_;
  std::vector<v1::RecordingStatus> statuses_;
};

TEST_F(RecorderProcessTest, KillNineLosesAtMostTheLastSecond) {
  start_recorder({"--always-on", "true", "--fsync-interval", "1", "--segment-max-bytes", "200000"});
  // ~2,000 frames/s for 3 s, then SIGKILL mid-stream.
  using clock = std::chrono::steady_clock;
  std::vector<clock::time_point> sent_at;
  const auto t0 = clock::now();
  double synced_before_kill = 0;
  std::uint64_t seq = 0;
  while (clock::now() - t0 < 3s) {
    for (int i = 0; i < 20; ++i, ++seq) {
      ASSERT_TRUE(pub_->publish("csi.raw.kill", make_frame("kill", seq)));
      sent_at.push_back(clock::now());
    }
    std::this_thread::sleep_for(10ms);
  }
  synced_before_kill = metric(admin_, "wdp_recorder_synced_records_total");
  const auto kill_time = clock::now();
  recorder_->signal(SIGKILL);
  ASSERT_EQ(recorder_->wait(5s), -SIGKILL);
  for (int i = 0; i < 100; ++i, ++seq) pub_->publish("csi.raw.kill", make_frame("kill", seq));  // into the void

  // Every segment reads back; the frames are an unbroken prefix 0..k-1 of what was sent.
  std::vector<fs::path> sessions;
  for (const auto& e : fs::directory_iterator(dir_ / "rec" / "sessions")) sessions.push_back(e.path());
  ASSERT_EQ(sessions.size(), 1u);
  recorder::RecordingSource src(sessions[0]);
  ASSERT_FALSE(src.segments().empty());
  for (const auto& seg : src.segments()) {
    const auto scan = recorder::scan_segment(seg);
    ASSERT_TRUE(scan);
    EXPECT_TRUE(scan->header_ok) << seg;
    EXPECT_EQ(scan->corrupt_bytes, 0u) << seg;
  }
  std::uint64_t k = 0;
  v1::CsiFrame f;
  const auto sum = src.for_each([&](const recorder::RecordView& r) {
    EXPECT_TRUE(f.ParseFromArray(r.payload.data(), static_cast<int>(r.payload.size())));
    EXPECT_EQ(f.sequence(), k) << "gap or reorder";
    ++k;
    return true;
  });
  const auto sent_by = [&](clock::time_point t) {
    return static_cast<std::uint64_t>(std::upper_bound(sent_at.begin(), sent_at.end(), t) - sent_at.begin());
  };
  const std::uint64_t due = sent_by(kill_time - 1s);
  std::printf("kill -9: sent %zu before the kill, recovered %llu, sent 1 s before the kill %llu, synced %.0f, "
              "torn tail %llu bytes, %zu segments\n",
              sent_at.size(), static_cast<unsigned long long>(k), static_cast<unsigned long long>(due), synced_before_kill,
              static_cast<unsigned long long>(sum.trimmed_bytes), src.segments().size());
  EXPECT_GE(k, due) << "more than the last second was lost";
  EXPECT_GE(static_cast<double>(k), synced_before_kill) << "a record reported durable is missing";
  EXPECT_LE(k, sent_at.size());

  // A restart reconciles: the session killed mid-write is closed with what its files hold.
  const auto session_id = sessions[0].filename().string();
  start_recorder({"--always-on", "false"});
  recorder::RecordingIndex index(dir_ / "rec" / "index.sqlite");
  const auto row = index.session(session_id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->state, v1::RECORDING_STATE_STOPPED);
  EXPECT_EQ(row->records, k);
  EXPECT_GT(row->stopped_ns, row->started_ns);
  EXPECT_EQ(row->nodes, (std::set<std::string, std::less<>>{"kill"}));
}

TEST_F(RecorderProcessTest, RecordReplayRecordIsBitIdentical) {
  start_recorder({"--always-on", "false"});
  const auto first = start("first", {"csi.raw.", "gt."});
  ASSERT_TRUE(first.ok()) << first.error();
  constexpr int kFrames = 3000;
  int sent = 0;
  for (int i = 0; i < kFrames; ++i) {
    ASSERT_TRUE(pub_->publish(i % 3 ? "csi.raw.node-a" : "csi.raw.site/b", make_frame(i % 3 ? "node-a" : "site/b", static_cast<std::uint64_t>(i))));
    ++sent;
    if (i % 100 == 0) {
      v1::GroundTruth g;
      g.set_scene("lab");
      g.set_person_count(static_cast<std::uint32_t>(i));
      ASSERT_TRUE(pub_->publish("gt.lab", g));
      ++sent;
    }
    if (i % 500 == 0) std::this_thread::sleep_for(5ms);
  }
  pub_->publish("sensing.node-a", make_frame("not recorded", 0));  // not a session topic
  wait_records(sent);
  const auto a = stop();
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a.session().records(), static_cast<std::uint64_t>(sent));
  EXPECT_EQ(a.session().name(), "first");

  const auto second = start("second", {"csi.raw.", "gt."});
  ASSERT_TRUE(second.ok()) << second.error();
  Process replay(kBin + "/csi-replay",
                 {"--recording", (dir_ / "rec" / "sessions" / first.session().session_id()).string(), "--max",
                  "--bus-pub", bus_->pub(), "--no-progress", "--drain", "0.5"},
                 "", (dir_ / "replay.log").string());
  ASSERT_EQ(replay.wait(60s), 0);
  wait_records(2.0 * sent);
  const auto b = stop();
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b.session().records(), static_cast<std::uint64_t>(sent));

  auto read = [&](const std::string& id) {
    std::vector<std::pair<std::string, std::string>> out;
    recorder::RecordingSource(dir_ / "rec" / "sessions" / id).for_each([&](const recorder::RecordView& r) {
      out.emplace_back(std::string(r.topic), std::string(reinterpret_cast<const char*>(r.payload.data()), r.payload.size()));
      return true;
    });
    return out;
  };
  const auto one = read(first.session().session_id());
  const auto two = read(second.session().session_id());
  ASSERT_EQ(one.size(), static_cast<std::size_t>(sent));
  ASSERT_EQ(two.size(), one.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    ASSERT_EQ(two[i], one[i]) << "record " << i << " differs";
  }
}

TEST_F(RecorderProcessTest, RefusesASecondNamedSessionAndFallsBackToRolling) {
  start_recorder({"--always-on", "true"});
  const auto s1 = start("empty room", {});
  ASSERT_TRUE(s1.ok()) << s1.error();
  const auto s2 = start("walking", {});
  EXPECT_FALSE(s2.ok());
  EXPECT_EQ(s2.session().session_id(), s1.session().session_id());
  const auto stopped = stop();
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped.session().state(), v1::RECORDING_STATE_STOPPED);
  // With --always-on a rolling session takes over; its status arrives unsolicited.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool rolling = false;
  while (!rolling && std::chrono::steady_clock::now() < deadline) {
    status_sub_->poll(50ms);
    for (const auto& s : statuses_) {
      rolling |= s.request_id().empty() && s.ok() && s.session().name().empty() &&
                 s.session().state() == v1::RECORDING_STATE_ACTIVE && s.session().started_ns() >= stopped.session().stopped_ns();
    }
  }
  EXPECT_TRUE(rolling);
}

}  // namespace
}  // namespace wdp::testing
