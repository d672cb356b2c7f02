#pragma once
// FFTW has exactly one owner per transform: RealFft holds SIMD-aligned buffers and the plan, is
// non-copyable (because of the plan), and creates/destroys plans under one global planner mutex
// (FFTW's planner is not thread-safe; execution is).
//
//   RealFft fft(256);  fft.input()[i] = ...;  fft.execute();  std::complex<double> X_k = fft.output()[k];
// Forward, unnormalised: X_k = Σ_n x_n e^{-j2πkn/N}, k = 0..N/2.
#include <complex>
#include <cstddef>
#include <span>

namespace wdp::dsp {

class RealFft {
 public:
  explicit RealFft(std::size_t n);
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  std::size_t size() const { return n_; }
  std::span<double> input() { return {in_, n_}; }
  std::span<const std::complex<double>> output() const { return {reinterpret_cast<const std::complex<double>*>(out_), n_ / 2 + 1}; }
  void execute();

 private:
  std::size_t n_;
  double* in_;
  void* out_;   // fftw_complex[n/2+1]
  void* plan_;  // fftw_plan
};

}  // namespace wdp::dsp
