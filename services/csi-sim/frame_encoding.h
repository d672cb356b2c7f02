#pragma once
// A simulated packet in the two shapes the system consumes:
//   - a wdp.v1.CsiFrame for the bus (SOURCE_FORMAT_SIMULATOR), with the true subcarrier indices
//     and flags, samples (re, im) exactly as quantized, and scale = 1/AGC gain so that
//     raw × scale is the channel in free-space units;
//   - an ADR-018 raw UDP datagram (ESP32 profiles only), built by csi-ingest's own encoder, so
//     the simulator exercises the same decoder as real sensors.
#include <cstdint>
#include <string>

#include "simulator.h"
#include "wdp/v1/csi_frame.pb.h"

namespace wdp::sim {

// sensor_time_ns: the sample instant on the epoch clock of the run (start + simulated time).
void to_csi_frame(const Simulator& sim, const LinkFrame& f, std::int64_t sensor_time_ns, v1::CsiFrame& out);
// Throws std::logic_error for a non-ESP32 profile.
std::string to_esp32_datagram(const Simulator& sim, const LinkFrame& f);

}  // namespace wdp::sim
