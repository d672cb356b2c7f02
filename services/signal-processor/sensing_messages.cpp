#include "sensing_messages.h"

namespace wdp::signal {
namespace {

void to_proto(const VitalResult& v, v1::VitalSign& out) {
  out.set_rate_per_min(v.valid ? v.rate_per_min : 0.0);
  out.set_confidence(v.valid ? v.confidence : 0.0);
  out.set_valid(v.valid);
}

}  // namespace

void to_proto(const SensingResult& r, v1::SensingUpdate& out) {
  out.set_presence(r.presence);
  out.set_presence_confidence(r.presence_confidence);
  out.set_motion(r.motion);
  out.set_motion_state(!r.calibrated && !r.moving ? v1::MOTION_STATE_UNSPECIFIED
                       : r.moving                 ? v1::MOTION_STATE_ACTIVE
                       : r.presence               ? v1::MOTION_STATE_PRESENT_STILL
                                                  : v1::MOTION_STATE_NONE);
  to_proto(r.breathing, *out.mutable_breathing());
  to_proto(r.heart, *out.mutable_heart());
  out.set_person_count(r.persons);
  out.set_person_count_confidence(r.persons_confidence);
  out.set_calibrated(r.calibrated);
  out.set_frame_rate_hz(r.frame_rate_hz);
  out.mutable_amplitude()->Assign(r.amplitude.begin(), r.amplitude.end());
  out.mutable_doppler()->Assign(r.doppler.begin(), r.doppler.end());
}

void to_proto(const FeatureWindowResult& r, double rate_hz, v1::FeatureWindow& out) {
  out.set_frames(static_cast<std::uint32_t>(r.frames));
  out.set_links(1);
  out.set_bins(static_cast<std::uint32_t>(dsp::kCanonicalBins));
  out.set_channels(2);
  out.set_sample_rate_hz(rate_hz);
  out.mutable_values()->Assign(r.values.begin(), r.values.end());
}

}  // namespace wdp::signal
