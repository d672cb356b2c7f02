#pragma once
// Espressif CSI_DATA text lines (../shared/docs/csi-wire-formats.md §4.1–4.5, §4.8), as printed
// by esp-csi on a UART console or saved as CSV:
//   variant A, 25 columns (ESP32/S2/S3/C3 get-started, 2021 console_test)
//   variant B, 15 columns (C5/C6 get-started; no sig_mode/cwb/secondary: only lengths that just
//              the C5 table produces, 53/57/114/245 pairs, get indices)
//   variant C, 30 columns (esp-radar console_test; data as "[…]" or base64)
// The variant is chosen by column count; a `type,…` header line, when present, maps renamed
// columns by name (§4.5) for lines with the header's column count.
//
// Raw console logs are fine: CRLF, ANSI escapes and prompts before `CSI_DATA,` are tolerated;
// log lines, RADAR_DADA lines and the header are skipped. A CSI line is rejected whole when it
// is cut or has text spliced in: the list must end in `]` (or `]"` when quoted), every value
// must be an integer in -128..127, and the count must equal `len`. Lines over 16 KiB are
// rejected as "line_too_long". first_word_invalid marks pairs 0–1 INVALID.
// Node id: DecodeContext::node_override, else node_prefix + "espidf-" + MAC without colons.
// sensor_time_ns: local_timestamp (µs, u32) unwrapped per MAC, in ns; not epoch-based.
#include <memory>

#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::size_t kEspidfMaxLine = 16 * 1024;

std::unique_ptr<StreamDecoder> make_espidf_csi_data_decoder(const DecodeContext& context, StreamCallbacks callbacks);

}  // namespace wdp::ingest
