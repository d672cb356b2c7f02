#pragma once
// Pipeline results -> wdp.v1 messages (the service publishes these; tests compare them).
#include "link_pipeline.h"
#include "wdp/v1/sensing.pb.h"

namespace wdp::signal {

void to_proto(const SensingResult& r, v1::SensingUpdate& out);
void to_proto(const FeatureWindowResult& r, double rate_hz, v1::FeatureWindow& out);

}  // namespace wdp::signal
