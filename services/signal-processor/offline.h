#pragma once
// signal-processor --offline FILE: the same pipeline, with the same defaults, over any file
// csi-ingest can read, on the file's own timestamps, without the bus. One JSON object per
// sensing update on stdout:
//   {"node":..,"t":..,"presence":..,"motion":..,"breathing_bpm":..,"breathing_conf":..,
//    "heart_bpm":..,"heart_conf":..,"persons":..,"moving":..,"calibrated":..}
// Rejected records and frames go to stderr with their reason.
#include <ostream>
#include <string>

#include "link_pipeline.h"

namespace wdp::signal {

// Returns the process exit code: 0 when the file was read to its end.
int run_offline(const std::string& file, const std::string& format, const PipelineParams& params, std::ostream& out);

}  // namespace wdp::signal
