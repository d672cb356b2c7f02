#include "wdp/csi/frame_view.h"

#include <gtest/gtest.h>

namespace wdp::csi {

TEST(FrameView, ReadsEveryEncodingInRxTxBinOrder) {
  v1::CsiFrame f;
  f.set_n_rx(2);
  f.set_n_tx(1);
  f.set_n_bins(2);
  f.set_sample_type(v1::SAMPLE_TYPE_INT16_LE);
  const std::int16_t values[] = {1, -2, 300, -400, 5, 6, -32768, 32767};
  f.set_samples(std::string(reinterpret_cast<const char*>(values), sizeof(values)));
  f.set_scale(0.5);
  FrameView v(f);
  EXPECT_EQ(v.raw(0, 0, 1), std::make_pair(300.0, -400.0));
  EXPECT_EQ(v.raw(1, 0, 1), std::make_pair(-32768.0, 32767.0));
  EXPECT_EQ(v.scaled(1, 0, 0), std::complex<double>(2.5, 3.0));

  f.set_sample_type(v1::SAMPLE_TYPE_INT8);
  f.set_samples(std::string("\x01\xff\x02\xfe\x03\xfd\x04\x80", 8));
  f.set_scale(0);  // no scaling defined: scaled == raw
  FrameView v8(f);
  EXPECT_EQ(v8.raw(1, 0, 1), std::make_pair(4.0, -128.0));
  EXPECT_EQ(v8.scaled(0, 0, 0), std::complex<double>(1, -1));
}

TEST(FrameView, RejectsInconsistentShapes) {
  v1::CsiFrame f;
  f.set_n_rx(1);
  f.set_n_tx(1);
  f.set_n_bins(3);
  f.set_sample_type(v1::SAMPLE_TYPE_INT8);
  f.set_samples("abcd");
  EXPECT_THROW(FrameView{f}, std::invalid_argument);
  f.set_sample_type(v1::SAMPLE_TYPE_UNSPECIFIED);
  EXPECT_THROW(FrameView{f}, std::invalid_argument);
}

}  // namespace wdp::csi
