#pragma once
// csi-ingest is a throughput pipeline: its receive thread hands every burst of frames to the bus
// I/O thread, and under the normal policy each hand-off lets the woken thread preempt the one
// doing the work. SCHED_BATCH (sched(7)) keeps the same fair share but drops wakeup preemption,
// so a busy thread finishes its burst first; on a loaded two-core machine this raised flat-out
// throughput by ~7 % of the recvmmsg ceiling (services/csi-ingest/README.md). The cost is
// wakeup latency of at most a scheduler slice (milliseconds), far below what CSI consumers need.
#include <string>

namespace wdp::ingest {

// Applies SCHED_BATCH to the calling thread; threads started afterwards inherit it. Unprivileged
// processes may always switch between SCHED_OTHER and SCHED_BATCH. Returns "" or the error.
std::string use_batch_scheduling();

}  // namespace wdp::ingest
