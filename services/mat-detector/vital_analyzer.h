#pragma once
// Vital signs from the links covering a zone, over one long window (default 40 s at 10 Hz).
//
// Breathing: dsp::PeriodicityEstimator over the real and imaginary parts of every link's grouped
// residual channels together (combining links: the estimator keeps the 12 most periodic channels
// of all links), band 7–33 BPM. (Principal components over all channels were tried: with more
// channels than samples they fit noise and raised false alarms.) Heart: the same in 48–120 BPM with the breathing harmonics masked.
// Per link, the breathing modulation amplitude at the detected rate, the noise amplitude (mean of
// the same DFT at 2.5–4.5 Hz, where neither breathing nor heartbeat has power) and the breathing
// tones' covariance across groups of subcarriers feed localization. Movement: bursts of first-difference energy (1 s blocks, max over median)
// mean voluntary movement; a strong 2.5–4.5 Hz periodicity means tremor; a strong 0.6–2.5 Hz
// periodicity that is not a plausible heartbeat means periodic movement.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "link_stream.h"
#include "observability.h"
#include "wdp/dsp/periodicity.h"
#include "wdp/v1/mat.pb.h"

namespace wdp::mat {

struct AnalyzerParams {
  double window_s = 40;
  double rate_hz = 10;                  // LinkStream output rate
  double min_coverage = 0.75;           // share of the window with real (non-gap) samples per link
  double breathing_lo_hz = 7.0 / 60, breathing_hi_hz = 33.0 / 60;
  double heart_lo_hz = 0.8, heart_hi_hz = 2.0;
  double burst_ratio_voluntary = 25;    // 1 s block energy max / median: gross movement
  double local_burst_ratio_voluntary = 3.3;  // on the breathing channels: the survivor moved
  double tremor_confidence = 0.85;
  double periodic_confidence = 0.9;
};

struct LinkEvidence {
  int site_link = -1;
  double modulation = 0;   // breathing amplitude relative to the static channel (noise removed)
  double noise = 0;        // noise amplitude in the same units
  double signal_power = 0; // breathing-tone power including noise (modulation² + noise²)
  std::size_t groups = 0;  // channels (groups of bins) the powers are averaged over
  // Σ over the ±f tones of T·Tᴴ, T the complex breathing tone per group (groups × groups, row
  // major): its trace / groups is signal_power. Its shape across groups is the coherent evidence.
  std::vector<std::complex<double>> tone_cov;
  ObservabilityTable observability;  // of this link's static channel (localization model)
};

struct ZoneEvidence {
  bool usable = false;           // enough links with enough data
  std::size_t links_used = 0;
  std::int64_t end_ns = 0;
  dsp::PeriodicityEstimate breathing, heart;
  double burst_ratio = 0;
  double local_burst_ratio = 0;  // the same on the breathing channels' residual (local_movement.h)
  bool gross_movement = false;   // burst_ratio over its threshold: movement swamps the window
  v1::MovementClass movement = v1::MOVEMENT_CLASS_NONE;
  std::vector<LinkEvidence> links;
};

class VitalAnalyzer {
 public:
  explicit VitalAnalyzer(AnalyzerParams p = {});
  // streams[i] is the link at site index site_links[i]. The window ends at `end_ns`.
  ZoneEvidence analyze(std::span<const LinkStream* const> streams, std::span<const int> site_links, std::int64_t end_ns);
  const AnalyzerParams& params() const { return p_; }

 private:
  AnalyzerParams p_;
  std::size_t n_;
  dsp::PeriodicityEstimator breathing_, heart_, tremor_, periodic_;
};

}  // namespace wdp::mat
