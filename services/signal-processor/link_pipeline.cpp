#include "link_pipeline.h"

#include <algorithm>
#include <cmath>

namespace wdp::signal {
namespace {

constexpr std::size_t kBins = dsp::kCanonicalBins;
constexpr std::size_t kChannels = 2 * kBins;  // amplitude then phase
// Vitals candidates: amplitude as measured (breathing often changes the whole frame's power, which
// normalising cancels; used only when the source compensates its gain, or AGC changes would pass
// for breathing), amplitude / frame mean (immune to AGC), and phase.
constexpr std::size_t kVitalChannels = 3 * kBins;

dsp::PeriodicityParams band(double rate, double lo, double hi) {
  return {.sample_rate_hz = rate, .band_lo_hz = lo, .band_hi_hz = hi, .fft_size = 2048, .top_channels = 8,
          .harmonic_ratio = 0.5};
}

}  // namespace

LinkPipeline::LinkPipeline(PipelineParams p, OnSensing on_sensing, OnFeatures on_features)
    : p_(p),
      on_sensing_(std::move(on_sensing)),
      on_features_(std::move(on_features)),
      phase_unwrap_(kBins),
      hampel_amplitude_(kBins, p.hampel_amplitude),
      hampel_phase_(kBins, p.hampel_phase),
      motion_(kBins, p.grid_rate_hz, p.motion),
      history_(kVitalChannels, static_cast<std::size_t>(std::ceil(std::max(p.breathing_window_s, p.heart_window_s) * p.grid_rate_hz))),
      breathing_est_(band(p.grid_rate_hz, 0.1, 0.5)),
      heart_est_(band(p.grid_rate_hz, 0.8, 2.0)),
      doppler_stft_(p.doppler_window, p.doppler_window),
      amp_in_(kBins),
      amp_out_(kBins),
      phase_in_(kBins),
      phase_out_(kBins),
      raw_(kChannels),
      unwrapped_(kBins),
      norm_(kBins),
      feature_ring_(p.feature_frames * kBins * 2) {
  if (p.grid_rate_hz < 4.2) throw std::invalid_argument("grid rate must exceed 4 Hz (heart band up to 2 Hz)");
  reset_time_base();
}

void LinkPipeline::reset_time_base() {
  grid_ = std::make_unique<dsp::UniformResampler>(kChannels, p_.grid_rate_hz, p_.max_gap_s,
                                                  [this](double t, std::span<const double> v) { on_grid(t, v); });
  hampel_amplitude_.reset();
  hampel_phase_.reset();
  pending_t_.clear();
  phase_unwrap_.reset();
  last_t_ = -1;
  next_update_t_ = -1;
}

std::string LinkPipeline::push(const v1::CsiFrame& frame, double t) {
  if (!std::isfinite(t)) return "bad_timestamp";
  if (last_t_ >= 0 && t < last_t_ - 2.0) {  // the clock went back: device reboot or file restart
    ++clock_resets_;
    reset_time_base();
  } else if (last_t_ >= 0 && t < last_t_) {
    return "out_of_order";
  }
  if (auto why = pre_.process(frame, canon_); !why.empty()) return why;
  has_phase_ = canon_.has_phase;
  gain_compensated_ = canon_.gain_compensated;
  if (last_t_ >= 0) {
    const double dt = t - last_t_;
    if (dt > 0 && dt < p_.max_gap_s) rate_ema_ = rate_ema_ > 0 ? 0.95 * rate_ema_ + 0.05 / dt : 1 / dt;
  }
  last_t_ = t;

  phase_unwrap_.push(canon_.phase, unwrapped_);
  for (std::size_t k = 0; k < kBins; ++k) {
    amp_in_[k] = static_cast<float>(canon_.amplitude[k]);
    phase_in_[k] = static_cast<float>(unwrapped_[k]);
  }
  pending_t_.push_back(t);
  const bool ready = hampel_amplitude_.push(amp_in_, amp_out_);
  hampel_phase_.push(phase_in_, phase_out_);  // same delay as the amplitude bank
  if (ready) {
    for (std::size_t k = 0; k < kBins; ++k) {
      raw_[k] = amp_out_[k];
      raw_[kBins + k] = phase_out_[k];
    }
    const double tf = pending_t_.front();
    pending_t_.erase(pending_t_.begin());
    grid_->push(tf, raw_);
  }
  return {};
}

void LinkPipeline::on_grid(double t, std::span<const double> v) {
  double mean = 0;
  for (std::size_t k = 0; k < kBins; ++k) mean += v[k];
  mean /= double(kBins);
  if (!(mean > 0)) return;
  for (std::size_t k = 0; k < kBins; ++k) norm_[k] = v[k] / mean;
  last_amplitude_.assign(v.begin(), v.begin() + kBins);

  const auto& m = motion_.push(norm_);
  if (m.moving) {
    last_motion_t_ = t;
    still_since_t_ = -1e18;
  } else if (still_since_t_ < -1e17) {
    still_since_t_ = t;
  }

  scratch_.assign(v.begin(), v.begin() + kBins);
  scratch_.insert(scratch_.end(), norm_.begin(), norm_.end());
  scratch_.insert(scratch_.end(), v.begin() + kBins, v.end());
  history_.push(scratch_);

  float* row = feature_ring_.data() + (grid_samples_ % p_.feature_frames) * kBins * 2;
  for (std::size_t k = 0; k < kBins; ++k) {
    row[2 * k] = static_cast<float>(norm_[k] - 1.0);
    row[2 * k + 1] = has_phase_ ? static_cast<float>(v[kBins + k]) : 0.0f;
  }
  ++grid_samples_;
  if (on_features_ && grid_samples_ >= p_.feature_frames && grid_samples_ % p_.feature_hop == 0) {
    FeatureWindowResult fw;
    fw.t = t;
    fw.frames = p_.feature_frames;
    fw.values.reserve(feature_ring_.size());
    for (std::size_t i = 0; i < p_.feature_frames; ++i) {  // oldest first
      const float* r = feature_ring_.data() + ((grid_samples_ + i) % p_.feature_frames) * kBins * 2;
      fw.values.insert(fw.values.end(), r, r + kBins * 2);
    }
    on_features_(fw);
  }

  if (next_update_t_ < 0) next_update_t_ = t;
  while (t >= next_update_t_) {
    emit_update(t);
    next_update_t_ += 1.0 / p_.update_rate_hz;
  }
}

void LinkPipeline::estimate_vitals(double t) {
  breathing_ = {};
  heart_ = {};
  const double still = t - still_since_t_;
  if (motion_.state().moving || still < p_.vitals_min_still_s) return;
  const std::size_t have = history_.size();
  auto window = [&](double seconds) {
    return std::min({have, static_cast<std::size_t>(still * p_.grid_rate_hz), static_cast<std::size_t>(seconds * p_.grid_rate_hz)});
  };
  const std::size_t nb = window(p_.breathing_window_s);
  const std::size_t first = gain_compensated_ ? 0 : kBins;
  const std::size_t channels = (has_phase_ ? kVitalChannels : 2 * kBins) - first;
  channel_hist_.resize(channels);
  for (std::size_t c = 0; c < channels; ++c) history_.last(first + c, nb, channel_hist_[c]);
  std::vector<std::span<const double>> spans(channel_hist_.begin(), channel_hist_.end());
  const auto b = breathing_est_.estimate(spans);
  breathing_ = {b.rate_per_min, b.confidence, b.confidence >= p_.vitals_min_confidence};

  const std::size_t nh = window(p_.heart_window_s);
  for (auto& s : spans) s = s.last(nh);
  std::vector<double> exclude;
  if (breathing_.valid) {
    for (int h = 2; h <= 8; ++h) exclude.push_back(h * b.frequency_hz);
  }
  const auto h = heart_est_.estimate(spans, exclude);
  heart_ = {h.rate_per_min, h.confidence, h.confidence >= p_.vitals_min_confidence};
}

void LinkPipeline::emit_update(double t) {
  if (next_vitals_t_ < 0 || t >= next_vitals_t_) {
    estimate_vitals(t);
    next_vitals_t_ = t + p_.vitals_interval_s;
  }
  const auto& m = motion_.state();
  SensingResult r;
  r.t = t;
  r.motion = m.level;
  r.moving = m.moving;
  r.calibrated = m.calibrated;
  r.breathing = breathing_;
  r.heart = heart_;
  const bool held = t - last_motion_t_ <= p_.presence_hold_s;
  const bool breathing_presence = breathing_.valid && breathing_.confidence >= p_.presence_breathing_confidence;
  r.presence = m.moving || held || breathing_presence;
  if (m.moving) {
    r.presence_confidence = m.confidence;
  } else if (breathing_presence) {
    r.presence_confidence = breathing_.confidence;
  } else if (held) {
    r.presence_confidence = 0.5 + 0.5 * (1 - (t - last_motion_t_) / p_.presence_hold_s);
  } else {
    r.presence_confidence = m.confidence;  // confidence that the room is empty
  }
  // Counting people from one link is not reliable: we report 0 or 1 and say so in the confidence.
  r.persons = r.presence ? 1 : 0;
  r.persons_confidence = r.presence ? 0.5 : r.presence_confidence;
  r.frame_rate_hz = rate_ema_;
  r.amplitude.assign(last_amplitude_.begin(), last_amplitude_.end());

  if (history_.size() >= p_.doppler_window) {
    doppler_power_.assign(doppler_stft_.bins(), 0.0);
    std::vector<double> centred, col;
    for (std::size_t k = 0; k < kBins; ++k) {
      history_.last(kBins + k, p_.doppler_window, centred);  // normalised amplitude
      double mean = 0;
      for (double x : centred) mean += x;
      mean /= double(centred.size());
      for (double& x : centred) x -= mean;
      doppler_stft_.power(centred, col);
      for (std::size_t i = 0; i < col.size(); ++i) doppler_power_[i] += col[i] / double(kBins);
    }
    r.doppler.assign(doppler_power_.begin(), doppler_power_.end());
  }
  on_sensing_(r);
}

}  // namespace wdp::signal
