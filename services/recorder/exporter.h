#pragma once
// Turns a recording into a training dataset of .npy files: per node CSI amplitude and phase on the
// frame's bins with timestamps, plus simulator ground truth (gt.* records) aligned by publish
// time. The layout is specified in docs/recording-format.md ("Export").
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "recording_source.h"

namespace wdp::recorder {

struct ExportOptions {
  std::filesystem::path out;
  // A frame gets the ground-truth record nearest in publish time if it is at most this far, s.
  double gt_tolerance_s = 0.1;
};

struct NodeExport {
  std::string folder;
  std::uint64_t frames = 0;
  std::uint32_t n_rx = 0, n_tx = 0, n_bins = 0;
  std::uint64_t with_gt = 0;  // frames that found a ground-truth record
};

struct ExportResult {
  std::map<std::string, NodeExport> nodes;
  std::uint64_t gt_records = 0;
  std::uint32_t max_persons = 0;
  std::uint64_t skipped_geometry = 0;  // frames whose geometry differs from their node's first frame
  std::uint64_t skipped_malformed = 0;  // payloads that do not parse or are inconsistent
  std::uint64_t other_records = 0;     // neither csi.raw.* nor gt.*
};

// progress(records_done) is called per record of the second pass.
ExportResult export_recording(const RecordingSource& source, const ExportOptions& options,
                              const std::function<void(std::uint64_t)>& progress = {});

}  // namespace wdp::recorder
