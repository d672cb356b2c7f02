#include "formats/espectre_npz.h"

#include <cmath>

#include "formats/esp32_layout.h"
#include "formats/npy_array.h"
#include "formats/zip_reader.h"

namespace wdp::ingest {
namespace {

constexpr std::size_t kMaxFileBytes = 256u << 20;

class EspectreNpzDecoder final : public StreamDecoder {
 public:
  EspectreNpzDecoder(DecodeContext ctx, StreamCallbacks cb) : ctx_(std::move(ctx)), cb_(std::move(cb)) {}

  void feed(std::span<const std::byte> chunk) override {
    if (overflow_) return;
    if (buffer_.size() + chunk.size() > kMaxFileBytes) {
      overflow_ = true;
      return;
    }
    buffer_.insert(buffer_.end(), chunk.begin(), chunk.end());
  }

  void finish() override {
    if (overflow_) return reject("bad_length", "file larger than " + std::to_string(kMaxFileBytes) + " bytes");
    const ZipResult zip = read_zip(buffer_, kMaxFileBytes);
    if (!zip.error.empty()) return reject(zip.error, zip.detail);
    auto member = [&](const char* name) -> NpyArray {
      const auto it = zip.members.find(name);
      if (it == zip.members.end()) {
        NpyArray missing;
        missing.error = std::string(name) + " missing";
        return missing;
      }
      return parse_npy(it->second);
    };
    const NpyArray csi = member("csi_data.npy");
    if (!csi.error.empty()) return reject("bad_payload", "csi_data.npy: " + csi.error);
    if (csi.descr != "|i1" || csi.shape.size() != 2 || csi.fortran_order || csi.shape[1] % 2 != 0 || csi.shape[1] == 0) {
      return reject("bad_payload", "csi_data.npy must be C-order int8 (N, 2·n_sc), got " + csi.descr);
    }
    const std::size_t n = csi.shape[0], width = csi.shape[1], pairs = width / 2;
    double duration_ms = 0, n_sc = double(pairs);
    member("duration_ms.npy").as_double(duration_ms);
    if (member("num_subcarriers.npy").as_double(n_sc) && std::lround(n_sc) != long(pairs)) {
      return reject("bad_count", "num_subcarriers " + std::to_string(n_sc) + " but rows hold " + std::to_string(pairs) + " pairs");
    }
    std::string chip = "unknown", label;
    member("chip.npy").as_string(chip);
    member("label.npy").as_string(label);
    const double spacing_ns = n > 0 && duration_ms > 0 ? duration_ms * 1e6 / double(n) : 0;

    EspRxInfo rx;
    rx.chip = chip == "c6" ? EspChip::c6 : chip == "c5" ? EspChip::c5 : EspChip::classic;
    rx.ppdu = v1::PPDU_TYPE_HT;  // the datasets are HT20 captures (wire doc §2.6)
    const EspLayout layout = esp_layout(rx, pairs);
    for (std::size_t i = 0; i < n; ++i) {
      v1::CsiFrame f;
      f.set_node_id(ctx_.node_override.empty() ? ctx_.node_prefix + "espectre-" + chip : ctx_.node_override);
      f.set_source_format(v1::SOURCE_FORMAT_ESPECTRE);
      f.set_chip("esp32" + chip);
      f.set_sequence(i);
      f.set_has_sequence(true);
      f.set_sensor_time_ns(static_cast<std::int64_t>(std::llround(spacing_ns * double(i))));
      f.set_n_rx(1);
      f.set_n_tx(1);
      f.set_n_bins(static_cast<std::uint32_t>(pairs));
      set_esp_samples(f, csi.data.substr(i * width, width));
      f.set_bandwidth_mhz(20);
      f.set_ppdu_type(v1::PPDU_TYPE_HT);
      apply_esp_layout(f, layout, 0);
      cb_.on_frame(std::move(f));
    }
  }

 private:
  void reject(std::string reason, std::string detail) { cb_.on_reject(Reject{std::move(reason), std::move(detail), 0}); }

  DecodeContext ctx_;
  StreamCallbacks cb_;
  std::vector<std::byte> buffer_;
  bool overflow_ = false;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_espectre_npz_decoder(const DecodeContext& context, StreamCallbacks callbacks) {
  return std::make_unique<EspectreNpzDecoder>(context, std::move(callbacks));
}

}  // namespace wdp::ingest
