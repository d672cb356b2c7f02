#pragma once
// recorder: writes bus traffic (csi.raw.* by default, any topic on request) to crash-safe segment
// files with a SQLite index (docs/recording-format.md). Sessions are started and stopped over the
// bus: wdp.v1.RecorderCommand on ctl.recorder, answered with wdp.v1.RecordingStatus on
// evt.recorder.
//
// Threads: the service loop receives bus messages and commands and copies them into the writer
// thread's bounded queue; the writer thread does all file, fsync and SQLite work.
#include <memory>
#include <set>
#include <string>

#include "recorder_options.h"
#include "wdp/runtime/service_runtime.h"
#include "writer_thread.h"

namespace wdp::recorder {

class RecorderService {
 public:
  RecorderService(RecorderOptions options, runtime::ServiceRuntime& runtime);
  void run();

 private:
  void on_command(const v1::RecorderCommand& c);
  void route(std::string_view prefix);  // subscribes the record handler to `prefix` once
  void update_state();
  // Publishes a command's outcome on evt.recorder.
  void reply(const v1::RecordingStatus& st);

  RecorderOptions options_;
  runtime::ServiceRuntime& rt_;
  bus::Subscriber* sub_ = nullptr;
  std::set<std::string, std::less<>> routed_;
  metrics::Counter& dropped_queue_full_;
  std::unique_ptr<WriterThread> writer_;
};

}  // namespace wdp::recorder
