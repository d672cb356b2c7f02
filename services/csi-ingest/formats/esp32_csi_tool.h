#pragma once
// StevenMHernandez ESP32-CSI-Tool CSV lines (../shared/docs/csi-wire-formats.md §4.6):
//   type,role,mac,rssi,rate,sig_mode,mcs,bandwidth,smoothing,not_sounding,aggregation,stbc,
//   fec_coding,sgi,noise_floor,ampdu_cnt,channel,secondary_channel,local_timestamp,ant,sig_len,
//   rx_state,real_time_set,real_timestamp,len,CSI_DATA
// with the list unquoted and space-separated, "[v0 v1 … ]". Extra columns after the list
// (published datasets append host timestamps) are ignored; the header line is optional.
//
// The tool may print fewer values than `len` (e.g. only the 128 LLTF values of a 384-byte
// buffer). Such a row is kept as a partial frame: n_bins still follows `len`, the missing values
// are 0 and every pair not fully printed is flagged INVALID. More values than `len` is rejected.
// Values must be integers in -128..127. Junk before `CSI_DATA,` (console escapes) is tolerated.
// Node id: node_override, else node_prefix + "csitool-" + MAC without colons. No sequence.
// sensor_time_ns: real_timestamp (seconds, epoch) when real_time_set is 1, else local_timestamp
// (µs, u32, unwrapped per MAC).
#include <memory>

#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::size_t kCsiToolMaxLine = 16 * 1024;

std::unique_ptr<StreamDecoder> make_esp32_csi_tool_decoder(const DecodeContext& context, StreamCallbacks callbacks);

}  // namespace wdp::ingest
