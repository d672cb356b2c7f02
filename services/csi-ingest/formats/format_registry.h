#pragma once
// Every stream format csi-ingest can read, by name, with auto-detection from the first bytes.
// One place maps a name to its decoder factory; csi-dump, the file/serial/TCP sources of
// csi-ingest and the fuzz targets all go through it.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "formats/decoder.h"

namespace wdp::ingest {

enum class Format { esp32_udp, espidf_csv, esp32_csi_tool, intel5300, nexmon_pcap, atheros, ruview_jsonl, espectre_npz };

// "esp32-udp", "espidf-csv", "esp32-csi-tool", "intel5300", "nexmon-pcap", "atheros", "ruview-jsonl",
// "espectre-npz".
std::string_view format_name(Format f);
std::optional<Format> parse_format(std::string_view name);
const std::vector<Format>& all_formats();

// Guesses the format from the first bytes of a file or stream (and the file name, if known).
// Empty when nothing matches; the caller then asks for --format.
std::optional<Format> detect_format(std::span<const std::byte> head, std::string_view file_name = {});

std::unique_ptr<StreamDecoder> make_stream_decoder(Format f, const DecodeContext& context, StreamCallbacks callbacks);

}  // namespace wdp::ingest
