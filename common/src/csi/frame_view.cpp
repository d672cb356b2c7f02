#include "wdp/csi/frame_view.h"

#include <stdexcept>
#include <string>

namespace wdp::csi {

std::size_t bytes_per_value(v1::SampleType t) {
  switch (t) {
    case v1::SAMPLE_TYPE_INT8: return 1;
    case v1::SAMPLE_TYPE_INT16_LE: return 2;
    case v1::SAMPLE_TYPE_FLOAT32_LE: return 4;
    case v1::SAMPLE_TYPE_FLOAT64_LE: return 8;
    default: return 0;
  }
}

FrameView::FrameView(const v1::CsiFrame& f)
    : frame_(f),
      n_rx_(f.n_rx()),
      n_tx_(f.n_tx()),
      n_bins_(f.n_bins()),
      width_(bytes_per_value(f.sample_type())),
      scale_(f.scale() == 0.0 ? 1.0 : f.scale()),
      data_(f.samples().data()) {
  if (width_ == 0) throw std::invalid_argument("CSI frame has no sample type");
  const std::size_t need = 2 * n_rx_ * n_tx_ * n_bins_ * width_;
  if (f.samples().size() != need) {
    throw std::invalid_argument("CSI frame holds " + std::to_string(f.samples().size()) + " sample bytes, shape " +
                                std::to_string(n_rx_) + "x" + std::to_string(n_tx_) + "x" + std::to_string(n_bins_) +
                                " needs " + std::to_string(need));
  }
}

double FrameView::value(std::size_t i) const {
  const char* p = data_ + i * width_;
  switch (width_) {
    case 1: return static_cast<std::int8_t>(*p);
    case 2: {
      std::int16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      float v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: {
      double v;
      std::memcpy(&v, p, 8);
      return v;
    }
  }
}

}  // namespace wdp::csi
