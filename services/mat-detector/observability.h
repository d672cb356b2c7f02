#pragma once
// How much of a moving path survives LinkStream's per-packet normalisation, as a function of the
// path's excess length over the line of sight.
//
// LinkStream removes, per packet, a common complex gain and a linear phase across subcarriers
// (a phase slope only: an amplitude tilt stays), and expresses every packet in the frame of its
// reference, whose linear phase is the line-of-sight delay plus the timing offset of whichever
// packet became the reference (it changes from run to run). A path of excess length Δ is thus
// seen as e^(j·slope_ref·m)·e^(−j2π f_m Δ/c); the table applies LinkStream's operations,
// linearised for a small path, to that, averages the result over groups of bins like the stream
// does, and over the path's (arbitrary) carrier phase. It gives, for Δ = 0, step, 2·step, …
// metres of excess length, the RMS of what is left over groups divided by the static channel's
// RMS amplitude, per unit path amplitude (exact for a line-of-sight static channel; with
// multipath the line-of-sight delay is only estimated from the reference's phase slope).
//
// That mean hides a large spread: LinkStream's operations are real-linear, so a path at carrier
// phase ψ leaves |cos ψ·u + sin ψ·w| with u, w what is left of the path at phases 0 and 90°. Over
// ψ that goes from √λmin to √λmax of their 2×2 Gram matrix; for a short excess length the phase
// slope is removed and only the amplitude tilt stays (λmin ≪ λmax: a link sees the breathing
// fully or hardly at all, by the path's phase against the static channel). `spread` holds
// λmin/λmax (the mean is (λmin + λmax)/2, what `gain` holds); `u` and `w` the shapes themselves,
// with ψ counted from the reference's own phase line so that it is the same for both directions
// of a node pair.
#include <complex>
#include <vector>

namespace wdp::mat {

struct ObservabilityTable {
  double step_m = 0.05;
  std::vector<double> gain;   // index i ↔ excess length i·step_m
  std::vector<double> spread; // λmin/λmax at the same lengths
  // u and w per group at the same lengths (row i: groups values each), per unit path amplitude
  // over the static channel's RMS: the shape across subcarriers the coherent likelihood uses.
  std::size_t groups = 0;
  std::vector<std::complex<double>> u, w;
  double at(double excess_m) const;
  double spread_at(double excess_m) const;
};

ObservabilityTable observability_table(const std::vector<std::complex<double>>& ref, const std::vector<double>& index,
                                       std::size_t group_bins, double spacing_hz = 312'500.0, double max_excess_m = 20.0,
                                       double step_m = 0.05);

}  // namespace wdp::mat
