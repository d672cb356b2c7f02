#pragma once
// Movement of the breathing person itself, told apart from movement elsewhere (rescuers): the
// channels that see the survivor's chest best also see the survivor's limbs, because both sit
// at the same spot under the same debris. Per channel the breathing band (±25 % around the rate
// and its second harmonic) is fitted by least squares and removed; on the K channels with the highest
// breathing-to-residual ratio, the residual energy per block is compared with its median.
// A limb moving for a few seconds makes one or two blocks stand out; noise, and breathing that
// was fitted away, do not.
#include <cstddef>
#include <span>
#include <vector>

namespace wdp::mat {

struct LocalMovementParams {
  std::size_t top_channels = 12;
  std::size_t block = 10;  // samples per block (1 s at 10 Hz)
  double band = 0.25;      // relative half-width removed around the rate and its second harmonic
};

// channels: detrended windows, all of the same length; breathing_hz: the detected rate.
// Returns max / median of the block energies (0 when the window has fewer than 3 blocks).
double local_burst_ratio(std::span<const std::vector<double>> channels, double breathing_hz, double rate_hz,
                         const LocalMovementParams& p = {});

}  // namespace wdp::mat
