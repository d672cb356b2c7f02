#pragma once
// How much of a moving path survives LinkStream's per-packet normalisation, as a function of the
// path's excess length over the line of sight.
//
// LinkStream removes, per packet, a common complex gain and a linear phase across subcarriers,
// i.e. the projection of the change onto span{ref_k, m_k·ref_k} (ref = the static channel). A
// path s_k = e^(−j2π f_k Δτ) that is nearly a multiple of the static channel is invisible; what
// is left is then averaged over groups of bins like the stream does. The table gives, for
// Δ = 0, step, 2·step, … metres of excess length, the RMS of what is left over groups divided by
// the static channel's RMS amplitude, per unit path amplitude.
#include <complex>
#include <vector>

namespace wdp::mat {

struct ObservabilityTable {
  double step_m = 0.05;
  std::vector<double> gain;   // index i ↔ excess length i·step_m
  double at(double excess_m) const;
};

ObservabilityTable observability_table(const std::vector<std::complex<double>>& ref, const std::vector<double>& index,
                                       std::size_t group_bins, double spacing_hz = 312'500.0, double max_excess_m = 20.0,
                                       double step_m = 0.05);

}  // namespace wdp::mat
