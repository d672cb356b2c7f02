#pragma once
// csi-sim: runs a simulated scene and sends its CSI either as ESP32 UDP datagrams to csi-ingest
// (the real path: `./wdp up`) or straight onto the bus as csi.raw.<node>, with ground truth on
// gt.<scene> and, optionally, as JSON lines in a file.
#include <string>

#include "simulator.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::sim {

struct CsiSimOptions {
  std::string scene = "default";          // built-in scene name (scene_names())
  std::string scene_file;                 // JSON scene; replaces `scene` when set
  std::string output = "udp";             // udp | bus
  std::string udp_target = "127.0.0.1:5005";
  double speed = 1.0;                     // simulated seconds per wall second
  bool max = false;                       // as fast as possible (no pacing)
  double duration_s = 0;                  // simulated seconds, then exit; 0 = run until stopped
  std::string truth_file;                 // JSON lines; empty = none
  double truth_interval_s = 0.1;          // simulated seconds between ground-truth messages
  double wait_subscriber_s = 0;           // bus output: wait this long for a csi.raw. subscriber first
  SimOptions sim;
};

class CsiSimService {
 public:
  CsiSimService(CsiSimOptions options, runtime::ServiceRuntime& runtime);
  void run();

 private:
  CsiSimOptions options_;
  runtime::ServiceRuntime& rt_;
};

}  // namespace wdp::sim
