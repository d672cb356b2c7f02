// csi-ingest reading a real capture as a file source publishes every intact frame on the bus,
// in order, without loss, even though the file is read far faster than real time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "process.h"
#include "wdp/testing/http_get.h"
#include "wdp/testing/test_data.h"

namespace wdp::testing {
namespace {

using namespace std::chrono_literals;

TEST(IngestFile, ConsoleLogFramesReachASubscriberInOrder) {
  const auto capture = csi_test_file("espressif_esp-csi__log.console_test.20210205155636.txt");
  const auto dir = std::filesystem::temp_directory_path() / ("wdp-ingest-file-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto front = std::to_string(free_port()), back = std::to_string(free_port());
  const std::string bin = WDP_BIN_DIR;
  Process fwd(bin + "/bus-forwarder",
              {"--frontend", "@tcp://127.0.0.1:" + front, "--backend", "@tcp://127.0.0.1:" + back, "--bus-pub",
               ">tcp://127.0.0.1:" + front, "--admin-port", "0"},
              "", (dir / "fwd.log").string());
  Process tap(bin + "/bus-tap", {"--bus-sub", ">tcp://127.0.0.1:" + back, "--topic", "csi.raw.", "--count", "1684", "--timeout", "20"},
              (dir / "tap.jsonl").string(), (dir / "tap.err").string());
  const auto admin = free_port();
  Process ingest(bin + "/csi-ingest",
                 {"--no-udp", "--source", "file:" + capture.string(), "--bus-pub", ">tcp://127.0.0.1:" + front,
                  "--admin-port", std::to_string(admin)},
                 "", (dir / "ingest.log").string());
  const auto status = tap.wait(25s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0) << "bus-tap did not see 1684 frames";
  std::ifstream in(dir / "tap.jsonl");
  std::string line;
  long long previous = -1;
  int n = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_GT(j["frame_seq"].get<long long>(), previous);  // the CSI_DATA id, in file order
    previous = j["frame_seq"].get<long long>();
    ++n;
  }
  EXPECT_EQ(n, 1684);
  // The 19 damaged lines are counted as rejects in /metrics.
  const auto metrics = http_request(admin, "/metrics").second;
  EXPECT_NE(metrics.find("wdp_csi_ingest_rejects_total{source=\"file\",reason=\"bad_token\"} 5"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("wdp_csi_ingest_rejects_total{source=\"file\",reason=\"unterminated_list\"} 14"), std::string::npos);
  ingest.signal(SIGTERM);
  EXPECT_EQ(ingest.wait(2s), std::optional<int>(0));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace wdp::testing
