#include "wdp/dsp/fft.h"

#include <fftw3.h>

#include <mutex>
#include <stdexcept>

namespace wdp::dsp {
namespace {
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

RealFft::RealFft(std::size_t n) : n_(n) {
  if (n < 2) throw std::invalid_argument("RealFft: size must be >= 2");
  std::lock_guard lock(planner_mutex());
  in_ = fftw_alloc_real(n);
  out_ = fftw_alloc_complex(n / 2 + 1);
  // ESTIMATE: plans in microseconds and never touches the buffers (MEASURE would overwrite them).
  plan_ = fftw_plan_dft_r2c_1d(static_cast<int>(n), in_, static_cast<fftw_complex*>(out_), FFTW_ESTIMATE);
  if (!plan_) throw std::runtime_error("FFTW could not plan a transform of size " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i) in_[i] = 0;
}

RealFft::~RealFft() {
  std::lock_guard lock(planner_mutex());
  fftw_destroy_plan(static_cast<fftw_plan>(plan_));
  fftw_free(in_);
  fftw_free(out_);
}

void RealFft::execute() { fftw_execute(static_cast<fftw_plan>(plan_)); }

}  // namespace wdp::dsp
