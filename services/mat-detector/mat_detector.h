#pragma once
// mat-detector: WiFi-Mat survivor detection, START triage, localization and alerts.
//
// In:  csi.raw.<node> (wdp.v1.CsiFrame) from the nodes of the active zones; ctl.mat
//      (wdp.v1.MatCommand) from the gateway.
// Out: mat.event / mat.zone / mat.survivor / mat.alert (wdp.v1.MatEvent) on every domain change
//      (and the whole state once at start); evt.mat (wdp.v1.MatCommandResult) per command.
// State: the domain snapshot under --state-dir, reloaded at start.
#include <cstdint>
#include <memory>
#include <string>

#include "mat_domain.h"
#include "site_config.h"
#include "state_store.h"
#include "survivor_detector.h"
#include "wdp/runtime/service_runtime.h"

namespace wdp::mat {

struct MatOptions {
  std::string site_file;          // site geometry, default events and zones (JSON)
  std::string state_dir;          // empty: no persistence
  double window_s = 40;           // analysis window
  double hop_s = 5;               // scan cycle per zone
  double stream_rate_hz = 10;     // resampled CSI rate
  double breathing_min_confidence = 0.6;
  double escalation_s = 300;
  double radius_scale = 1.4;      // uncertainty calibration (localizer.h; README: coverage 0.90 on held-out seeds)
};

class MatDetectorService {
 public:
  MatDetectorService(MatOptions options, runtime::ServiceRuntime& runtime);
  void run();

 private:
  void publish_changes();
  void handle_command(const v1::MatCommand& cmd);
  void scan_zones(std::int64_t wall_ns);
  void update_state(std::int64_t wall_ns);
  std::int64_t frame_time_ns(const v1::CsiFrame& f) const;

  MatOptions o_;
  runtime::ServiceRuntime& rt_;
  SiteConfig site_;
  StateStore store_;
  MatDomain domain_;
  std::unique_ptr<SurvivorDetector> detector_;
  bool dirty_ = false;
  std::int64_t last_data_wall_ns_ = 0;   // wall time of the newest CSI
  std::int64_t last_data_ns_ = 0;        // its data time
  metrics::Counter& frames_;
  metrics::Counter& scans_;
  metrics::Counter& detections_;
  metrics::Counter& commands_;
  metrics::Counter& events_out_;
  metrics::Gauge& survivors_;
};

}  // namespace wdp::mat
