#include "formats/ruview_jsonl.h"

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "formats/esp32_layout.h"
#include "formats/text_lines.h"

namespace wdp::ingest {
namespace {

constexpr int kMaxDepth = 8;  // real lines nest 2 deep; bounds the parser's work on hostile input

// Nesting depth outside strings, without parsing.
bool depth_ok(std::string_view s) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

struct LineError {
  std::string reason;
  std::string detail;
};

class RuviewJsonlDecoder final : public StreamDecoder {
 public:
  RuviewJsonlDecoder(const DecodeContext& ctx, StreamCallbacks cb) : ctx_(ctx), cb_(std::move(cb)), lines_(kRuviewJsonlMaxLine) {
    // Bins 0..31 then -32..-9 of the 20 MHz LLTF block; everything else about the frame is unknown.
    EspRxInfo rx;
    const EspLayout full = esp_layout(rx, 64);
    layout_ = full;
    layout_.index.resize(kRuviewJsonlBins);
    layout_.flags.resize(kRuviewJsonlBins);
  }

  void feed(std::span<const std::byte> chunk) override {
    lines_.feed(chunk, [this](std::string_view l, std::uint64_t off) { on_line(l, off); },
                [this](std::uint64_t off) { reject("line_too_long", "line over " + std::to_string(kRuviewJsonlMaxLine) + " bytes", off); });
  }
  void finish() override {
    lines_.finish([this](std::string_view l, std::uint64_t off) { on_line(l, off); },
                  [this](std::uint64_t off) { reject("line_too_long", "line over " + std::to_string(kRuviewJsonlMaxLine) + " bytes", off); });
  }

 private:
  void reject(std::string reason, std::string detail, std::uint64_t off) {
    if (cb_.on_reject) cb_.on_reject(Reject{std::move(reason), std::move(detail), off});
  }

  void on_line(std::string_view line, std::uint64_t off) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
    v1::CsiFrame f;
    bool skipped = false;
    std::optional<LineError> err;
    try {
      err = parse(line, f, skipped);
    } catch (const std::exception& e) {  // nlohmann type/range errors on odd values
      err = LineError{"bad_json", e.what()};
    }
    if (err) return reject(std::move(err->reason), std::move(err->detail), off);
    if (skipped) {
      if (cb_.on_skip) cb_.on_skip(Skip{"ruview_message"});
      return;
    }
    if (cb_.on_frame) cb_.on_frame(std::move(f));
  }

  std::optional<LineError> parse(std::string_view line, v1::CsiFrame& f, bool& skipped) {
    if (!depth_ok(line)) return LineError{"bad_json", "nesting deeper than " + std::to_string(kMaxDepth)};
    const auto j = nlohmann::json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return LineError{"bad_json", "not valid JSON"};
    if (!j.is_object()) return LineError{"not_object", "line is not a JSON object"};
    if (j.contains("type")) {
      skipped = true;
      return std::nullopt;
    }
    const auto ts = j.find("timestamp");
    if (ts == j.end() || !ts->is_number()) return LineError{"bad_timestamp", "missing or not a number"};
    const double t = ts->get<double>();
    if (!std::isfinite(t) || t < 0 || t > 1e11) return LineError{"bad_timestamp", "out of range"};
    const auto sc = j.find("subcarriers");
    if (sc == j.end() || !sc->is_array()) return LineError{"bad_subcarriers", "missing or not an array"};
    if (sc->size() != kRuviewJsonlBins) return LineError{"bad_subcarriers", std::to_string(sc->size()) + " values (need 56)"};

    std::string samples(kRuviewJsonlBins * 2 * sizeof(double), '\0');
    for (std::size_t k = 0; k < kRuviewJsonlBins; ++k) {
      const auto& v = (*sc)[k];
      if (!v.is_number()) return LineError{"bad_subcarriers", "value " + std::to_string(k) + " is not a number"};
      const double a = v.get<double>();
      if (!std::isfinite(a) || a < 0) return LineError{"bad_subcarriers", "value " + std::to_string(k) + " is not a finite amplitude"};
      const double im = 0.0;
      std::memcpy(samples.data() + 16 * k, &a, 8);  // host is little-endian (checked in bus_header.h)
      std::memcpy(samples.data() + 16 * k + 8, &im, 8);
    }

    f.set_node_id(ctx_.node_override.empty() ? ctx_.node_prefix + "ruview" : ctx_.node_override);
    f.set_source_format(v1::SOURCE_FORMAT_RUVIEW_JSONL);
    f.set_has_sequence(false);
    f.set_sensor_time_ns(std::llround(t * 1e6) * 1000);  // ms resolution in the file; round off float noise
    f.set_sensor_time_is_epoch(true);
    f.set_receive_time_ns(ctx_.receive_time_ns);
    f.set_receive_mono_ns(ctx_.receive_mono_ns);
    f.set_n_rx(1);
    f.set_n_tx(1);
    f.set_n_bins(static_cast<std::uint32_t>(kRuviewJsonlBins));
    f.set_sample_type(v1::SAMPLE_TYPE_FLOAT64_LE);
    f.set_samples(std::move(samples));
    f.set_scale(1.0);
    f.set_amplitude_only(true);
    f.set_rssi_valid(false);
    f.set_noise_floor_valid(false);
    f.set_bandwidth_mhz(20);
    f.set_secondary_channel(v1::SECONDARY_CHANNEL_NONE);
    apply_esp_layout(f, layout_, 0);  // channel unknown: center_freq_mhz stays 0
    return std::nullopt;
  }

  DecodeContext ctx_;
  StreamCallbacks cb_;
  TextLineSplitter lines_;
  EspLayout layout_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_ruview_jsonl_decoder(const DecodeContext& context, StreamCallbacks callbacks) {
  return std::make_unique<RuviewJsonlDecoder>(context, std::move(callbacks));
}

}  // namespace wdp::ingest
