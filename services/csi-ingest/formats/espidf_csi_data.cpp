#include "formats/espidf_csi_data.h"

#include <array>
#include <optional>

#include "formats/esp32_layout.h"
#include "formats/esp_text_fields.h"
#include "formats/text_lines.h"

namespace wdp::ingest {
namespace {

constexpr std::string_view kTag = "CSI_DATA,";
constexpr std::size_t kMaxColumns = 64;
constexpr std::int64_t kMaxLen = 4096;  // int8 values; the largest ESP-IDF buffer is 612

enum Col : std::size_t { seq, mac, rssi, sig_mode, mcs, cwb, stbc, noise_floor, channel, secondary, local_ts, agc_gain, len, first_word, data, n_cols };
using ColumnMap = std::array<int, n_cols>;

std::optional<Col> column_of(std::string_view name) {
  struct Alias {
    std::string_view name;
    Col col;
  };
  static constexpr Alias kAliases[] = {
      {"id", seq}, {"seq", seq}, {"sequence", seq}, {"mac", mac}, {"rssi", rssi}, {"sig_mode", sig_mode},
      {"mcs", mcs}, {"bandwidth", cwb}, {"cwb", cwb}, {"stbc", stbc}, {"noise_floor", noise_floor},
      {"channel", channel}, {"channel_primary", channel}, {"secondary_channel", secondary},
      {"channel_secondary", secondary}, {"local_timestamp", local_ts}, {"agc_gain", agc_gain}, {"len", len},
      {"first_word", first_word}, {"first_word_invalid", first_word}, {"data", data}};
  for (const auto& a : kAliases) {
    if (a.name == name) return a.col;
  }
  return std::nullopt;
}

// Column map from a header line; nullopt unless it names every column a frame needs.
std::optional<std::pair<ColumnMap, std::size_t>> map_from_header(std::string_view header) {
  ColumnMap m;
  m.fill(-1);
  std::size_t n = 0;
  while (true) {
    const auto comma = header.find(',');
    const auto name = header.substr(0, comma);
    if (n >= kMaxColumns) return std::nullopt;
    if (const auto c = column_of(name); c && m[*c] < 0) m[*c] = static_cast<int>(n);
    ++n;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  for (const Col c : {seq, mac, rssi, len, data}) {
    if (m[c] < 0) return std::nullopt;
  }
  if (m[data] != static_cast<int>(n) - 1) return std::nullopt;  // the list is always last
  return std::pair{m, n};
}

ColumnMap builtin_map(std::string_view header) { return map_from_header(header).value().first; }

const ColumnMap& variant_a() {
  static const ColumnMap m = builtin_map(
      "type,id,mac,rssi,rate,sig_mode,mcs,bandwidth,smoothing,not_sounding,aggregation,stbc,fec_coding,sgi,"
      "noise_floor,ampdu_cnt,channel,secondary_channel,local_timestamp,ant,sig_len,rx_state,len,first_word,data");
  return m;
}
const ColumnMap& variant_b() {
  static const ColumnMap m = builtin_map(
      "type,seq,mac,rssi,rate,noise_floor,fft_gain,agc_gain,channel,local_timestamp,sig_len,rx_state,len,first_word,"
      "data");
  return m;
}
const ColumnMap& variant_c() {
  static const ColumnMap m = builtin_map(
      "type,sequence,timestamp,taget_seq,taget,mac,rssi,rate,sig_mode,mcs,bandwidth,smoothing,not_sounding,"
      "aggregation,stbc,fec_coding,sgi,noise_floor,ampdu_cnt,channel,secondary_channel,local_timestamp,ant,sig_len,"
      "rx_state,agc_gain,fft_gain,len,first_word,data");
  return m;
}

// Drops ANSI escape sequences and stray CRs (used only to classify non-CSI lines).
std::string strip_ansi(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\x1b') {
      if (i + 1 < s.size() && s[i + 1] == '[') {
        i += 2;
        while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E)) ++i;
      } else {
        ++i;
      }
      continue;
    }
    if (c != '\r') out.push_back(c);
  }
  return out;
}

bool base64_decode(std::string_view s, std::string& out) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (s.empty() || s.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < s.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s[i + static_cast<std::size_t>(k)];
      if (c == '=' && i + 4 == s.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return false;
      v[k] = val(c);
      if (v[k] < 0) return false;
    }
    const std::uint32_t w = (static_cast<std::uint32_t>(v[0]) << 18) | (static_cast<std::uint32_t>(v[1]) << 12) |
                            (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
    out.push_back(static_cast<char>((w >> 16) & 0xFF));
    if (pad < 2) out.push_back(static_cast<char>((w >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(w & 0xFF));
  }
  return true;
}

// Variant B has no rx_ctrl mode fields: map only lengths that just the C5 table produces.
std::optional<EspRxInfo> variant_b_rx(std::size_t n_pairs) {
  EspRxInfo rx;
  rx.chip = EspChip::c5;
  switch (n_pairs) {
    case 53: rx.ppdu = v1::PPDU_TYPE_NON_HT; return rx;
    case 57: rx.ppdu = v1::PPDU_TYPE_HT; return rx;
    case 114: rx.ppdu = v1::PPDU_TYPE_HT; rx.stbc = true; return rx;
    case 245: rx.ppdu = v1::PPDU_TYPE_HE; return rx;
    default: return std::nullopt;
  }
}

struct LineError {
  std::string reason;
  std::string detail;
};

class EspidfCsiDataDecoder final : public StreamDecoder {
 public:
  EspidfCsiDataDecoder(const DecodeContext& ctx, StreamCallbacks cb) : ctx_(ctx), cb_(std::move(cb)), lines_(kEspidfMaxLine) {}

  void feed(std::span<const std::byte> chunk) override {
    lines_.feed(chunk, [this](std::string_view l, std::uint64_t off) { on_line(l, off); },
                [this](std::uint64_t off) { reject("line_too_long", "line over " + std::to_string(kEspidfMaxLine) + " bytes", off); });
  }

  void finish() override {
    lines_.finish([this](std::string_view l, std::uint64_t off) { on_line(l, off); },
                  [this](std::uint64_t off) { reject("line_too_long", "line over " + std::to_string(kEspidfMaxLine) + " bytes", off); });
  }

 private:
  void reject(std::string reason, std::string detail, std::uint64_t off) {
    if (cb_.on_reject) cb_.on_reject(Reject{std::move(reason), std::move(detail), off});
  }
  void skip(const char* kind) {
    if (cb_.on_skip) cb_.on_skip(Skip{kind});
  }

  void on_line(std::string_view line, std::uint64_t off) {
    const auto tag = line.find(kTag);
    if (tag == std::string_view::npos) return on_other_line(line);
    v1::CsiFrame frame;
    if (auto err = parse_csi(line.substr(tag), frame)) return reject(std::move(err->reason), std::move(err->detail), off);
    if (cb_.on_frame) cb_.on_frame(std::move(frame));
  }

  void on_other_line(std::string_view line) {
    std::string clean = strip_ansi(line);
    std::string_view v(clean);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    if (v.empty()) return;
    if (v.starts_with("type,")) {
      if (auto m = map_from_header(v)) {
        header_map_ = m->first;
        header_cols_ = m->second;
      }
      return skip("csv_header");
    }
    if (v.find("RADAR_DADA,") != std::string_view::npos) return skip("radar_line");
    skip("console_log_line");
  }

  std::optional<LineError> parse_csi(std::string_view s, v1::CsiFrame& f) {
    // Header fields up to the list, which starts with '"' or '[' (base64 lists: last column).
    std::array<std::string_view, kMaxColumns> cols;
    std::size_t n = 0;
    std::string_view list;
    bool have_list = false;
    while (true) {
      if (n > 0 && !s.empty() && (s.front() == '"' || s.front() == '[')) {
        list = s;
        have_list = true;
        break;
      }
      if (n == kMaxColumns) return LineError{"bad_field_count", "more than " + std::to_string(kMaxColumns) + " columns"};
      const auto comma = s.find(',');
      cols[n++] = s.substr(0, comma);
      if (comma == std::string_view::npos) break;
      s.remove_prefix(comma + 1);
    }
    if (!have_list) {
      if (n < 2) return LineError{"truncated_line", "no columns after CSI_DATA"};
      list = cols[--n];  // base64 without quotes
    }
    const std::size_t n_columns = n + 1;
    const ColumnMap* map = nullptr;
    if (header_cols_ == n_columns) map = &header_map_;
    else if (n_columns == 25) map = &variant_a();
    else if (n_columns == 15) map = &variant_b();
    else if (n_columns == 30) map = &variant_c();
    if (!map) return LineError{"bad_field_count", std::to_string(n_columns) + " columns"};
    const ColumnMap& m = *map;
    auto col = [&](Col c) { return cols[static_cast<std::size_t>(m[c])]; };
    auto has = [&](Col c) { return m[c] >= 0; };
    const std::string id_note = "id=" + std::string(col(seq).substr(0, 24)) + ": ";
    auto bad_field = [&](std::string_view name) { return LineError{"bad_header_field", id_note + "bad " + std::string(name)}; };

    auto num = [&](Col c, std::int64_t lo, std::int64_t hi, std::int64_t dflt, std::string_view name, std::int64_t& out) {
      if (!has(c)) {
        out = dflt;
        return true;
      }
      const auto v = parse_int_field(col(c), lo, hi);
      if (!v) return false;
      out = *v;
      return true;
    };
    std::int64_t v_seq, v_rssi, v_sig, v_mcs, v_cwb, v_stbc, v_nf, v_ch, v_sec, v_ts, v_agc, v_len, v_fw;
    if (!num(seq, 0, INT64_MAX, 0, "id", v_seq)) return bad_field("id");
    const auto mac_v = parse_mac(col(mac));
    if (!mac_v) return LineError{"bad_mac", id_note + "mac '" + std::string(col(mac).substr(0, 32)) + "'"};
    if (!num(rssi, -128, 127, 0, "rssi", v_rssi)) return bad_field("rssi");
    if (!num(sig_mode, 0, 3, -1, "sig_mode", v_sig) || v_sig == 2) return bad_field("sig_mode");
    if (!num(mcs, 0, 255, 0, "mcs", v_mcs)) return bad_field("mcs");
    if (!num(cwb, 0, 1, -1, "bandwidth", v_cwb)) return bad_field("bandwidth");
    if (!num(stbc, 0, 1, 0, "stbc", v_stbc)) return bad_field("stbc");
    if (!num(noise_floor, -128, 127, 0, "noise_floor", v_nf)) return bad_field("noise_floor");
    if (!num(channel, 0, 255, 0, "channel", v_ch)) return bad_field("channel");
    if (!num(secondary, 0, 2, -1, "secondary_channel", v_sec)) return bad_field("secondary_channel");
    if (!num(local_ts, 0, UINT32_MAX, -1, "local_timestamp", v_ts)) return bad_field("local_timestamp");
    if (!num(agc_gain, 0, UINT32_MAX, 0, "agc_gain", v_agc)) return bad_field("agc_gain");
    if (!num(len, 0, kMaxLen, 0, "len", v_len)) return bad_field("len");
    if (!num(first_word, 0, 1, 0, "first_word", v_fw)) return bad_field("first_word");
    if (v_len == 0 || v_len % 2 != 0) return LineError{"bad_length", id_note + "len " + std::to_string(v_len)};

    // The list: "[…]" / […] / "base64" / base64. A missing closing bracket or quote means the
    // line was cut (often continuing inside a log message).
    std::string_view inner = list;
    if (inner.empty()) return LineError{"unterminated_list", id_note + "no sample list"};
    if (inner.front() == '"') {
      if (inner.size() < 2 || inner.back() != '"') return LineError{"unterminated_list", id_note + "no closing quote"};
      inner = inner.substr(1, inner.size() - 2);
    }
    std::string values;
    values.reserve(static_cast<std::size_t>(v_len));
    if (!inner.empty() && inner.front() == '[') {
      if (inner.size() < 2 || inner.back() != ']') return LineError{"unterminated_list", id_note + "no closing ']'"};
      const auto e = parse_int8_list(inner.substr(1, inner.size() - 2), ',', static_cast<std::size_t>(v_len), values);
      if (e != SampleListError::none) return LineError{to_reason(e), id_note + "in sample list"};
    } else {
      if (inner.size() > static_cast<std::size_t>(kMaxLen) * 2 || !base64_decode(inner, values)) {
        return LineError{"bad_base64", id_note + "data is neither a list nor base64"};
      }
    }
    if (values.size() != static_cast<std::size_t>(v_len)) {
      return LineError{"count_mismatch", id_note + std::to_string(values.size()) + " values, len " + std::to_string(v_len)};
    }

    const std::size_t n_pairs = values.size() / 2;
    f.set_node_id(ctx_.node_override.empty() ? ctx_.node_prefix + "espidf-" + mac_compact(*mac_v) : ctx_.node_override);
    f.set_source_format(v1::SOURCE_FORMAT_ESPIDF_CSI_DATA);
    f.set_sequence(static_cast<std::uint64_t>(v_seq));
    f.set_has_sequence(has(seq));
    if (v_ts >= 0) f.set_sensor_time_ns(static_cast<std::int64_t>(clock_.unwrap(*mac_v, static_cast<std::uint32_t>(v_ts)) * 1000));
    f.set_receive_time_ns(ctx_.receive_time_ns);
    f.set_receive_mono_ns(ctx_.receive_mono_ns);
    f.set_n_rx(1);
    f.set_n_tx(1);
    f.set_n_bins(static_cast<std::uint32_t>(n_pairs));
    set_esp_samples(f, values);
    f.add_rssi_dbm(static_cast<std::int32_t>(v_rssi));
    f.set_rssi_valid(true);
    if (has(noise_floor)) {
      f.set_noise_floor_dbm(static_cast<std::int32_t>(v_nf));
      f.set_noise_floor_valid(true);
    }
    f.set_channel(static_cast<std::uint32_t>(v_ch));
    f.set_mcs(static_cast<std::uint32_t>(v_mcs));
    f.set_agc_gain(static_cast<std::uint32_t>(v_agc));
    f.set_stbc(v_stbc == 1);
    f.set_source_mac(*mac_v);

    std::optional<EspRxInfo> rx;
    if (has(sig_mode)) {
      // Classic chips (§2.2): the row needs sig_mode, cwb and secondary_channel.
      if (v_sig >= 0) f.set_ppdu_type(v_sig == 0 ? v1::PPDU_TYPE_NON_HT : v_sig == 1 ? v1::PPDU_TYPE_HT : v1::PPDU_TYPE_VHT);
      if (v_cwb >= 0) f.set_bandwidth_mhz(v_cwb == 1 ? 40 : 20);
      if (v_sec >= 0) {
        f.set_secondary_channel(v_sec == 1 ? v1::SECONDARY_CHANNEL_ABOVE : v_sec == 2 ? v1::SECONDARY_CHANNEL_BELOW : v1::SECONDARY_CHANNEL_NONE);
      }
      if (v_sig >= 0 && v_cwb >= 0 && v_sec >= 0) {
        rx = EspRxInfo{.chip = EspChip::classic, .secondary = f.secondary_channel(), .ppdu = f.ppdu_type(),
                       .bandwidth_mhz = f.bandwidth_mhz(), .stbc = v_stbc == 1};
      }
    } else {
      rx = variant_b_rx(n_pairs);
      if (rx) {
        f.set_ppdu_type(rx->ppdu);
        f.set_bandwidth_mhz(20);
        f.set_stbc(rx->stbc);
      }
    }
    EspLayout layout;
    if (rx) {
      rx->first_word_invalid = v_fw == 1;
      layout = esp_layout(*rx, n_pairs);
    } else {
      layout = esp_unknown_layout(n_pairs, v_fw == 1);
    }
    apply_esp_layout(f, layout, wifi_channel_to_mhz(static_cast<std::uint32_t>(v_ch)));
    return std::nullopt;
  }

  DecodeContext ctx_;
  StreamCallbacks cb_;
  TextLineSplitter lines_;
  ColumnMap header_map_{};
  std::size_t header_cols_ = 0;  // 0: no header seen
  U32ClockUnwrapper clock_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_espidf_csi_data_decoder(const DecodeContext& context, StreamCallbacks callbacks) {
  return std::make_unique<EspidfCsiDataDecoder>(context, std::move(callbacks));
}

}  // namespace wdp::ingest
