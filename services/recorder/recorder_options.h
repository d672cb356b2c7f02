#pragma once
// The recorder service's options; main.cpp maps each to a flag and a WDP_* environment variable.
#include <cstddef>
#include <set>
#include <string>

#include "recording_store.h"

namespace wdp::recorder {

struct RecorderOptions {
  // Directory, rotation, retention and sync policy (recording_store.h documents each).
  StoreOptions store;
  // Record csi.raw.* into an unnamed rolling session whenever no named session runs, so nothing is
  // missed between sessions; retention bounds the disk it takes.
  bool always_on = true;
  // Records waiting for the writer thread before new ones are dropped and counted. About 40 MB of
  // 404-byte frames: tens of seconds of a slow disk at 1 kHz per node.
  std::size_t queue_max_records = 100'000;
};

}  // namespace wdp::recorder
