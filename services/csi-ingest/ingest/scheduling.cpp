#include "ingest/scheduling.h"

#include <sched.h>

#include <cerrno>
#include <cstring>

namespace wdp::ingest {

std::string use_batch_scheduling() {
  const sched_param p{.sched_priority = 0};
  if (::sched_setscheduler(0, SCHED_BATCH, &p) != 0) return std::strerror(errno);
  return "";
}

}  // namespace wdp::ingest
