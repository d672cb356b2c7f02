#include "formats/format_registry.h"

#include <algorithm>
#include <cstring>

#include "formats/atheros.h"
#include "formats/esp32_csi_tool.h"
#include "formats/esp32_udp.h"
#include "formats/espectre_npz.h"
#include "formats/espidf_csi_data.h"
#include "formats/intel5300.h"
#include "formats/pcap.h"
#include "formats/ruview_jsonl.h"

namespace wdp::ingest {
namespace {

struct Entry {
  Format format;
  std::string_view name;
};
constexpr Entry kEntries[] = {
    {Format::esp32_udp, "esp32-udp"},   {Format::espidf_csv, "espidf-csv"},   {Format::esp32_csi_tool, "esp32-csi-tool"},
    {Format::intel5300, "intel5300"},   {Format::nexmon_pcap, "nexmon-pcap"}, {Format::atheros, "atheros"},
    {Format::ruview_jsonl, "ruview-jsonl"}, {Format::espectre_npz, "espectre-npz"},
};

std::uint16_t u16_be(std::span<const std::byte> b, std::size_t off) {
  return static_cast<std::uint16_t>((std::to_integer<unsigned>(b[off]) << 8) | std::to_integer<unsigned>(b[off + 1]));
}
std::uint16_t u16_le(std::span<const std::byte> b, std::size_t off) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(b[off]) | (std::to_integer<unsigned>(b[off + 1]) << 8));
}

bool starts_with(std::span<const std::byte> b, std::initializer_list<unsigned> prefix) {
  if (b.size() < prefix.size()) return false;
  std::size_t i = 0;
  for (unsigned v : prefix) {
    if (std::to_integer<unsigned>(b[i++]) != v) return false;
  }
  return true;
}

std::string_view as_text(std::span<const std::byte> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Intel 5300 records are [u16 BE field_len][code][body]; a bfee (0xBB) has field_len 1 + 20 + payload.
bool looks_like_intel5300(std::span<const std::byte> b) {
  std::size_t off = 0;
  int records = 0;
  while (off + 3 <= b.size() && records < 4) {
    const std::size_t len = u16_be(b, off);
    if (len < 1) return false;
    if (std::to_integer<unsigned>(b[off + 2]) == 0xBB && len < 21) return false;
    off += 2 + len;
    ++records;
  }
  return records > 0 && std::to_integer<unsigned>(b[2]) == 0xBB;
}

// Atheros records are [u16 field_len][25-byte header: ... csi_len u16 @ +19? ...]; we only check
// that consecutive length prefixes chain up exactly in little-endian.
bool looks_like_atheros(std::span<const std::byte> b) {
  std::size_t off = 0;
  int records = 0;
  while (off + 2 <= b.size() && records < 3) {
    const std::size_t len = u16_le(b, off);
    if (len < 25) return false;
    off += 2 + len;
    ++records;
  }
  return records >= 1 && (off == b.size() || off + 2 <= b.size() || records >= 2);
}

}  // namespace

std::string_view format_name(Format f) {
  for (const auto& e : kEntries) {
    if (e.format == f) return e.name;
  }
  return "?";
}

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& e : kEntries) {
    if (e.name == name) return e.format;
  }
  return std::nullopt;
}

const std::vector<Format>& all_formats() {
  static const std::vector<Format> all = [] {
    std::vector<Format> v;
    for (const auto& e : kEntries) v.push_back(e.format);
    return v;
  }();
  return all;
}

std::optional<Format> detect_format(std::span<const std::byte> head, std::string_view file_name) {
  if (starts_with(head, {0x01, 0x00, 0x11, 0xC5}) || starts_with(head, {0x02, 0x00, 0x11, 0xC5}) ||
      starts_with(head, {0x04, 0x00, 0x11, 0xC5})) {
    return Format::esp32_udp;
  }
  if (starts_with(head, {0xD4, 0xC3, 0xB2, 0xA1}) || starts_with(head, {0xA1, 0xB2, 0xC3, 0xD4}) ||
      starts_with(head, {0x4D, 0x3C, 0xB2, 0xA1}) || starts_with(head, {0xA1, 0xB2, 0x3C, 0x4D})) {
    return Format::nexmon_pcap;
  }
  if (starts_with(head, {'P', 'K', 0x03, 0x04})) return Format::espectre_npz;
  const std::string_view text = as_text(head);
  if (text.starts_with("{")) return Format::ruview_jsonl;
  if (const auto pos = text.find("CSI_DATA,"); pos != std::string_view::npos) {
    // Espressif lines continue with a numeric id; ESP32-CSI-Tool lines with a role word (AP/STA...).
    const auto next = pos + 9;
    if (next < text.size() && (text[next] >= '0' && text[next] <= '9')) return Format::espidf_csv;
    return Format::esp32_csi_tool;
  }
  if (text.find("type,") != std::string_view::npos) return Format::espidf_csv;
  if (looks_like_intel5300(head)) return Format::intel5300;
  if (file_name.ends_with(".pcap")) return Format::nexmon_pcap;
  if (looks_like_atheros(head)) return Format::atheros;
  return std::nullopt;
}

std::unique_ptr<StreamDecoder> make_stream_decoder(Format f, const DecodeContext& ctx, StreamCallbacks cb) {
  switch (f) {
    case Format::esp32_udp: return make_esp32_udp_stream_decoder(ctx, std::move(cb));
    case Format::espidf_csv: return make_espidf_csi_data_decoder(ctx, std::move(cb));
    case Format::esp32_csi_tool: return make_esp32_csi_tool_decoder(ctx, std::move(cb));
    case Format::intel5300: return make_intel5300_decoder(ctx, std::move(cb));
    case Format::nexmon_pcap: return make_nexmon_pcap_decoder(ctx, std::move(cb));
    case Format::atheros: return make_atheros_decoder(ctx, std::move(cb));
    case Format::ruview_jsonl: return make_ruview_jsonl_decoder(ctx, std::move(cb));
    case Format::espectre_npz: return make_espectre_npz_decoder(ctx, std::move(cb));
  }
  return nullptr;
}

}  // namespace wdp::ingest
