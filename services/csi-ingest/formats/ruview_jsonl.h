#pragma once
// RuView `.csi.jsonl` recordings (../shared/docs/csi-wire-formats.md §9.1): one JSON object per
// line with `timestamp` (Unix seconds), `subcarriers` (56 amplitudes of the first 56 pairs of a
// 20 MHz ESP32 frame), `rssi`, `noise_floor` and `features`.
//
// Frames are amplitude-only: SAMPLE_TYPE_FLOAT64_LE with (|H|, 0) per bin; the phase is unknown,
// not zero. The 56 bins are LLTF indices 0..31 then -32..-9 (ESP-IDF order), flagged per the
// legacy ±26 tone plan, so positions 0 and 27–37 are NULL. rssi/noise_floor in these files come
// from the reference server's misaligned parser (§11), so they are never reported as valid.
// sensor_time_ns is the server receive time (epoch). No sequence, channel or node id is stored:
// node id is node_override, else node_prefix + "ruview". Objects with a `type` key (the later
// recorder's WebSocket messages, §9.2) are skipped as "ruview_message".
#include <memory>

#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::size_t kRuviewJsonlMaxLine = 64 * 1024;
inline constexpr std::size_t kRuviewJsonlBins = 56;

std::unique_ptr<StreamDecoder> make_ruview_jsonl_decoder(const DecodeContext& context, StreamCallbacks callbacks);

}  // namespace wdp::ingest
