#pragma once
// Clock reads used on the hot path of every service.
#include <cstdint>
#include <ctime>

namespace wdp::bus {

// ns since the Unix epoch (CLOCK_REALTIME): comparable across processes and hosts.
inline std::int64_t wall_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// ns of CLOCK_MONOTONIC: for intervals and rates within one host; never jumps.
inline std::int64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace wdp::bus
