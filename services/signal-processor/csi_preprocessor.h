#pragma once
// Step 1–3 of the pipeline for one frame: pick the usable bins, take amplitude and phase, sanitise
// the phase, and map both onto the canonical 56-bin grid (wdp/dsp/resample.h).
//
// Bin choice: bins flagged NULL or INVALID carry no channel information and are dropped. When a
// frame holds several training fields (ESP32: LLTF + HT-LTF [+ STBC]), the field with the most
// usable bins is used, so each subcarrier index appears once.
// Streams: amplitude is averaged over the rx×tx streams. Phase: with two or more receive chains,
// the phase of H_rx0 · conj(H_rx1) (CFO/STO cancel, signal-reference.md §3); with one, the phase
// unwrapped along subcarriers and detrended against the true indices (§2.2).
// Rejected frames (no layout, non-finite values, all zero, too few bins) say why.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wdp/dsp/resample.h"
#include "wdp/v1/csi_frame.pb.h"

namespace wdp::signal {

struct CanonicalFrame {
  std::vector<double> amplitude = std::vector<double>(dsp::kCanonicalBins);  // linear, device units
  std::vector<double> phase = std::vector<double>(dsp::kCanonicalBins);      // rad, sanitised
  bool has_phase = true;  // false for amplitude-only sources
  // The source reports its gain (scale != 1: Intel 5300 scaled CSI, the simulator's 1/AGC), so the
  // amplitude's absolute level is meaningful; otherwise receiver AGC may change it at will.
  bool gain_compensated = false;
  // Per-stream heart-rate channels of the usable bins (stream_channels.h); filled only when the
  // preprocessor keeps streams, empty otherwise.
  std::vector<float> streams;
};

class CsiPreprocessor {
 public:
  // Returns the reject reason, or empty on success.
  std::string process(const v1::CsiFrame& frame, CanonicalFrame& out);
  // Also fill CanonicalFrame::streams (the vitals path; off in the per-frame chain's benchmark).
  void keep_streams(bool on) { keep_streams_ = on; }

 private:
  struct Layout {
    std::vector<std::uint32_t> bins;  // selected input bins, ascending subcarrier index
    std::vector<double> index;        // their true indices
    std::unique_ptr<dsp::SubcarrierMapper> mapper;
  };
  const Layout* layout_for(const v1::CsiFrame& frame, std::string& why);

  bool keep_streams_ = false;
  std::map<std::string, Layout> layouts_;  // key: indices + flags bytes
  std::string last_key_;                    // frames of one link usually repeat one layout
  const Layout* last_layout_ = nullptr;
  std::vector<double> amp_, phase_, re_, im_, power_, ratio_re_, ratio_im_;  // scratch, reused per frame
};

}  // namespace wdp::signal
