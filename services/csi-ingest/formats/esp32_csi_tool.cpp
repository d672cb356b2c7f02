#include "formats/esp32_csi_tool.h"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>

#include "formats/esp32_layout.h"
#include "formats/esp_text_fields.h"
#include "formats/text_lines.h"

namespace wdp::ingest {
namespace {

constexpr std::string_view kTag = "CSI_DATA,";
constexpr std::size_t kHeaderColumns = 25;  // before the list
constexpr std::int64_t kMaxLen = 4096;

// Column positions (0 = type).
enum : std::size_t {
  c_role = 1, c_mac = 2, c_rssi = 3, c_sig_mode = 5, c_mcs = 6, c_cwb = 7, c_stbc = 11, c_noise = 14,
  c_channel = 16, c_secondary = 17, c_local_ts = 18, c_real_set = 22, c_real_ts = 23, c_len = 24
};

struct LineError {
  std::string reason;
  std::string detail;
};

std::optional<double> parse_seconds(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty() || s.size() > 32) return std::nullopt;
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v) || v <= 0 || v > 1e11) return std::nullopt;
  return v;
}

class CsiToolDecoder final : public StreamDecoder {
 public:
  CsiToolDecoder(const DecodeContext& ctx, StreamCallbacks cb) : ctx_(ctx), cb_(std::move(cb)), lines_(kCsiToolMaxLine) {}

  void feed(std::span<const std::byte> chunk) override {
    lines_.feed(chunk, [this](std::string_view l, std::uint64_t off) { on_line(l, off); },
                [this](std::uint64_t off) { too_long(off); });
  }
  void finish() override {
    lines_.finish([this](std::string_view l, std::uint64_t off) { on_line(l, off); },
                  [this](std::uint64_t off) { too_long(off); });
  }

 private:
  void too_long(std::uint64_t off) {
    if (cb_.on_reject) cb_.on_reject(Reject{"line_too_long", "line over " + std::to_string(kCsiToolMaxLine) + " bytes", off});
  }

  void on_line(std::string_view line, std::uint64_t off) {
    const auto tag = line.find(kTag);
    if (tag == std::string_view::npos) {
      if (line.find_first_not_of(" \t") == std::string_view::npos) return;
      if (cb_.on_skip) cb_.on_skip(Skip{line.find("type,role,") != std::string_view::npos ? "csv_header" : "console_log_line"});
      return;
    }
    v1::CsiFrame f;
    if (auto err = parse(line.substr(tag), f)) {
      if (cb_.on_reject) cb_.on_reject(Reject{std::move(err->reason), std::move(err->detail), off});
      return;
    }
    if (cb_.on_frame) cb_.on_frame(std::move(f));
  }

  std::optional<LineError> parse(std::string_view s, v1::CsiFrame& f) {
    std::array<std::string_view, kHeaderColumns> cols;
    for (std::size_t n = 0; n < kHeaderColumns; ++n) {
      const auto comma = s.find(',');
      if (comma == std::string_view::npos) return LineError{"bad_field_count", std::to_string(n + 1) + " columns"};
      cols[n] = s.substr(0, comma);
      s.remove_prefix(comma + 1);
    }
    // s = "[v0 v1 … ]" optionally followed by ",extra,…".
    if (s.empty() || s.front() != '[') return LineError{"bad_field_count", "column 26 is not a sample list"};
    const auto close = s.find(']');
    if (close == std::string_view::npos) return LineError{"unterminated_list", "no closing ']'"};
    if (close + 1 < s.size() && s[close + 1] != ',') return LineError{"unterminated_list", "text after ']'"};
    const auto list = s.substr(1, close - 1);

    auto bad = [](std::string_view name) { return LineError{"bad_header_field", "bad " + std::string(name)}; };
    const auto role = cols[c_role];
    if (role.empty() || role.size() > 32) return bad("role");
    const auto mac = parse_mac(cols[c_mac]);
    if (!mac) return LineError{"bad_mac", "mac '" + std::string(cols[c_mac].substr(0, 32)) + "'"};
    const auto rssi = parse_int_field(cols[c_rssi], -128, 127);
    if (!rssi) return bad("rssi");
    const auto sig = parse_int_field(cols[c_sig_mode], 0, 3);
    if (!sig || *sig == 2) return bad("sig_mode");
    const auto mcs = parse_int_field(cols[c_mcs], 0, 255);
    if (!mcs) return bad("mcs");
    const auto cwb = parse_int_field(cols[c_cwb], 0, 1);
    if (!cwb) return bad("bandwidth");
    const auto stbc = parse_int_field(cols[c_stbc], 0, 1);
    if (!stbc) return bad("stbc");
    const auto nf = parse_int_field(cols[c_noise], -128, 127);
    if (!nf) return bad("noise_floor");
    const auto ch = parse_int_field(cols[c_channel], 0, 255);
    if (!ch) return bad("channel");
    const auto sec = parse_int_field(cols[c_secondary], 0, 2);
    if (!sec) return bad("secondary_channel");
    const auto ts = parse_int_field(cols[c_local_ts], 0, UINT32_MAX);
    if (!ts) return bad("local_timestamp");
    const auto real_set = parse_int_field(cols[c_real_set], 0, 1);
    if (!real_set) return bad("real_time_set");
    const auto len = parse_int_field(cols[c_len], 0, kMaxLen);
    if (!len) return bad("len");
    if (*len == 0 || *len % 2 != 0) return LineError{"bad_length", "len " + std::to_string(*len)};

    std::string values;
    values.reserve(static_cast<std::size_t>(*len));
    if (const auto e = parse_int8_list(list, ' ', static_cast<std::size_t>(*len), values); e != SampleListError::none) {
      return LineError{to_reason(e), "in sample list"};
    }
    if (values.empty()) return LineError{"count_mismatch", "no values, len " + std::to_string(*len)};
    const std::size_t printed = values.size();
    values.resize(static_cast<std::size_t>(*len), '\0');  // partial rows: missing values are 0 + INVALID

    const std::size_t n_pairs = values.size() / 2;
    f.set_node_id(ctx_.node_override.empty() ? ctx_.node_prefix + "csitool-" + mac_compact(*mac) : ctx_.node_override);
    f.set_source_format(v1::SOURCE_FORMAT_ESP32_CSI_TOOL);
    f.set_has_sequence(false);
    const auto real_ts = *real_set == 1 ? parse_seconds(cols[c_real_ts]) : std::nullopt;
    if (real_ts) {
      f.set_sensor_time_ns(std::llround(*real_ts * 1e6) * 1000);
      f.set_sensor_time_is_epoch(true);
    } else {
      f.set_sensor_time_ns(static_cast<std::int64_t>(clock_.unwrap(*mac, static_cast<std::uint32_t>(*ts)) * 1000));
    }
    f.set_receive_time_ns(ctx_.receive_time_ns);
    f.set_receive_mono_ns(ctx_.receive_mono_ns);
    f.set_n_rx(1);
    f.set_n_tx(1);
    f.set_n_bins(static_cast<std::uint32_t>(n_pairs));
    set_esp_samples(f, values);
    f.add_rssi_dbm(static_cast<std::int32_t>(*rssi));
    f.set_rssi_valid(true);
    f.set_noise_floor_dbm(static_cast<std::int32_t>(*nf));
    f.set_noise_floor_valid(true);
    f.set_channel(static_cast<std::uint32_t>(*ch));
    f.set_mcs(static_cast<std::uint32_t>(*mcs));
    f.set_stbc(*stbc == 1);
    f.set_source_mac(*mac);
    f.set_ppdu_type(*sig == 0 ? v1::PPDU_TYPE_NON_HT : *sig == 1 ? v1::PPDU_TYPE_HT : v1::PPDU_TYPE_VHT);
    f.set_bandwidth_mhz(*cwb == 1 ? 40 : 20);
    f.set_secondary_channel(*sec == 1 ? v1::SECONDARY_CHANNEL_ABOVE : *sec == 2 ? v1::SECONDARY_CHANNEL_BELOW : v1::SECONDARY_CHANNEL_NONE);
    const EspRxInfo rx{.chip = EspChip::classic, .secondary = f.secondary_channel(), .ppdu = f.ppdu_type(),
                       .bandwidth_mhz = f.bandwidth_mhz(), .stbc = *stbc == 1};
    EspLayout layout = esp_layout(rx, n_pairs);
    for (std::size_t p = printed / 2; p < n_pairs; ++p) {
      layout.flags[p] = static_cast<char>(layout.flags[p] | v1::BIN_FLAG_INVALID);
    }
    apply_esp_layout(f, layout, wifi_channel_to_mhz(static_cast<std::uint32_t>(*ch)));
    return std::nullopt;
  }

  DecodeContext ctx_;
  StreamCallbacks cb_;
  TextLineSplitter lines_;
  U32ClockUnwrapper clock_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_esp32_csi_tool_decoder(const DecodeContext& context, StreamCallbacks callbacks) {
  return std::make_unique<CsiToolDecoder>(context, std::move(callbacks));
}

}  // namespace wdp::ingest
