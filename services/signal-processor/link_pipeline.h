#pragma once
// The streaming pipeline of one sensor link (node), from CsiFrame to sensing updates and feature
// windows. No bus here: the service and the offline mode both drive it.
//
//   frame --CsiPreprocessor--> canonical amplitude + phase (56 each)
//         --temporal unwrap (phase) --Hampel over time (h frames delay)
//         --uniform time grid (grid_rate_hz, from the frames' own timestamps)
//         --> motion detector, vitals windows, Doppler STFT, feature window
//         (vitals on) --per-stream heart channels (stream_channels.h) --boxcar onto the grid
//   every 1/update_rate_hz seconds of data time: one SensingResult
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "csi_preprocessor.h"
#include "stream_channels.h"
#include "wdp/dsp/hampel.h"
#include "wdp/dsp/motion_detector.h"
#include "wdp/dsp/moving_stats.h"
#include "wdp/dsp/periodicity.h"
#include "wdp/dsp/phase.h"
#include "wdp/dsp/resample.h"
#include "wdp/dsp/spectrum.h"

namespace wdp::signal {

struct PipelineParams {
  double grid_rate_hz = 20;        // uniform processing rate
  double max_gap_s = 1.0;          // longer gaps restart the grid (no bridging)
  double update_rate_hz = 10;      // sensing updates per second of data time
  // Over time, per canonical bin: amplitude with a 2 % relative sigma floor, phase with 0.05 rad
  // (quantized CSI has MAD = 0 in most windows; see dsp/hampel.h).
  dsp::HampelParams hampel_amplitude{.min_relative_sigma = 0.02};
  dsp::HampelParams hampel_phase{.min_sigma = 0.05};
  dsp::MotionParams motion{};
  double breathing_window_s = 30;
  std::size_t breathing_top_channels = 8;
  // Heart rate from every per-stream channel (stream_channels.h) combined over up to
  // heart_window_s, where the source gives any (its gain, or two receive chains); else from the top
  // channels of the canonical 168 over up to breathing_window_s (the canonical history's length).
  double heart_window_s = 60;
  std::size_t heart_top_channels = 8;
  double heart_exclude_bins = 1.0;     // breathing harmonics masked ±this many resolution bins
  double heart_min_confidence = 0.6;   // stricter than breathing: noise peaks in the heart band reach 0.55
  double vitals_min_still_s = 15;  // vitals are estimated only after this long without motion
  double vitals_interval_s = 1;    // how often vitals are re-estimated
  double vitals_min_confidence = 0.5;
  double presence_hold_s = 5;      // presence stays this long after motion stops
  double presence_breathing_confidence = 0.9;  // a still person counts as present from breathing
  std::size_t doppler_window = 32; // grid samples per STFT column
  std::size_t doppler_hop = 8;     // grid samples between Doppler columns (sensing updates reuse the latest)
  bool vitals = true;              // false: no breathing/heart estimation (feature-only consumers, benches)
  std::size_t feature_frames = 64; // T of the feature window
  std::size_t feature_hop = 10;    // grid samples between feature windows
};

struct VitalResult {
  double rate_per_min = 0;
  double confidence = 0;
  bool valid = false;
};

struct SensingResult {
  double t = 0;                    // data time, s
  bool presence = false;
  double presence_confidence = 0;
  double motion = 0;               // 0..1
  bool moving = false;
  bool calibrated = false;
  VitalResult breathing, heart;
  std::uint32_t persons = 0;
  double persons_confidence = 0;
  double frame_rate_hz = 0;        // measured input rate
  double motion_rank = 0;          // effective rank of the recent motion covariance (person-count evidence)
  std::uint32_t motion_components = 0;  // its eigenvalues above the calibrated noise floor
  std::vector<float> amplitude;    // latest canonical amplitude (56)
  std::vector<float> doppler;      // latest Doppler profile column
};

struct FeatureWindowResult {
  double t = 0;
  std::size_t frames = 0;
  std::vector<float> values;       // [T][56][2]: amplitude/frame-mean − 1, sanitised phase
};

class LinkPipeline {
 public:
  using OnSensing = std::function<void(const SensingResult&)>;
  using OnFeatures = std::function<void(const FeatureWindowResult&)>;

  LinkPipeline(PipelineParams params, OnSensing on_sensing, OnFeatures on_features);

  // Feeds one frame with its time in seconds (sensor or receive clock). Returns the reject
  // reason, or empty when the frame was used.
  std::string push(const v1::CsiFrame& frame, double t);

  std::uint64_t clock_resets() const { return clock_resets_; }
  const PipelineParams& params() const { return p_; }

 private:
  void on_grid(double t, std::span<const double> values);
  void emit_update(double t);
  void estimate_vitals(double t);
  void update_doppler();
  void update_motion_rank();
  void reset_time_base();

  PipelineParams p_;
  OnSensing on_sensing_;
  OnFeatures on_features_;
  CsiPreprocessor pre_;
  CanonicalFrame canon_;
  dsp::TemporalUnwrap phase_unwrap_;
  dsp::HampelBank hampel_amplitude_, hampel_phase_;
  std::vector<double> pending_t_;      // timestamps waiting for Hampel's look-ahead
  std::unique_ptr<dsp::UniformResampler> grid_;
  dsp::MotionDetector motion_;
  dsp::MovingStats history_;           // vitals window: 56 amplitude, 56 normalised amplitude, 56 phase
  dsp::PeriodicityEstimator breathing_est_, heart_est_, heart_streams_est_;
  ChannelHistory stream_hist_;         // per-stream heart channels on the grid
  dsp::Stft doppler_stft_;
  std::vector<float> amp_in_, amp_out_, phase_in_, phase_out_;
  std::vector<double> raw_, unwrapped_, norm_, scratch_, doppler_power_;
  std::vector<std::vector<double>> channel_hist_, stream_chan_;
  std::vector<float> feature_ring_;    // feature_frames x 56 x 2
  std::size_t grid_samples_ = 0;
  double last_t_ = -1, rate_ema_ = 0, next_update_t_ = -1, next_vitals_t_ = -1;
  double last_motion_t_ = -1e18, still_since_t_ = -1e18;
  bool has_phase_ = true;
  bool gain_compensated_ = false;
  VitalResult breathing_, heart_;
  std::vector<float> last_amplitude_;
  std::vector<float> doppler_;         // latest Doppler column
  std::vector<double> doppler_in_, doppler_col_;
  std::size_t doppler_at_ = 0;         // grid_samples_ when doppler_ was computed
  double motion_rank_ = 0;
  std::uint32_t motion_components_ = 0;
  std::vector<double> rank_in_;
  std::vector<std::uint32_t> count_history_;  // motion components, 1 Hz, while moving
  SensingResult result_;               // reused: no allocation per update
  FeatureWindowResult features_;
  std::uint64_t clock_resets_ = 0;
};

}  // namespace wdp::signal
