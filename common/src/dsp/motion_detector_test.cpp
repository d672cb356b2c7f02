#include "wdp/dsp/motion_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "wdp/dsp/select.h"

namespace wdp::dsp {
namespace {

// Frames of 56 normalised amplitudes: a fixed channel shape, noise, optional motion component and
// an AGC gain that changes every frame (must not matter after normalisation upstream).
struct Room {
  std::mt19937 rng{11};
  std::normal_distribution<double> n01{0, 1};
  std::vector<double> shape = std::vector<double>(56);
  Room() {
    for (std::size_t k = 0; k < 56; ++k) shape[k] = 1 + 0.3 * std::sin(0.2 * k);
  }
  std::vector<double> frame(double t, double motion, double noise = 0.01) {
    std::vector<double> a(56);
    double mean = 0;
    const double gain = 1 + 0.5 * std::sin(t);  // AGC
    for (std::size_t k = 0; k < 56; ++k) {
      a[k] = gain * (shape[k] * (1 + motion * std::sin(2 * 3.14159 * 1.3 * t + 0.4 * k)) + noise * n01(rng));
      mean += a[k];
    }
    for (auto& v : a) v /= mean / 56;
    return a;
  }
};

TEST(MotionDetector, QuietRoomStaysQuietAndMotionIsDetectedQuickly) {
  Room room;
  const double fs = 20;
  MotionDetector d(56, fs);
  int false_alarms = 0;
  for (int i = 0; i < int(60 * fs); ++i) false_alarms += d.push(room.frame(i / fs, 0)).moving;
  EXPECT_EQ(false_alarms, 0);
  EXPECT_TRUE(d.state().calibrated);
  EXPECT_LT(d.state().level, 0.3);
  int onset = -1;
  for (int i = 0; i < int(5 * fs); ++i) {
    if (d.push(room.frame(60 + i / fs, 0.2)).moving && onset < 0) onset = i;
  }
  ASSERT_GE(onset, 0);
  EXPECT_LE(onset / fs, 0.5);  // onset latency
  EXPECT_GT(d.state().level, 0.5);
  int back = -1;
  for (int i = 0; i < int(10 * fs); ++i) {
    if (!d.push(room.frame(65 + i / fs, 0)).moving && back < 0) back = i;
  }
  EXPECT_GE(back, 0);
  EXPECT_LE(back / fs, 2.0);
}

TEST(MotionDetector, StartingInMotionUsesTheDefaultFloorAndNeverLearnsMotion) {
  Room room;
  const double fs = 20;
  MotionDetector d(56, fs);
  int moving = 0, frames = 0;
  for (int i = 0; i < int(120 * fs); ++i) {
    moving += d.push(room.frame(i / fs, 0.2)).moving;
    ++frames;
  }
  EXPECT_GT(moving, frames * 95 / 100);
  EXPECT_LE(d.state().baseline, MotionParams{}.initial_baseline);
}

// The detector's median: select_nth must give exactly what std::nth_element gives, for every k,
// on random values, heavy ties (quantised), all-equal arrays and the hand-checked small case.
TEST(MotionMedian, SelectNthEqualsNthElement) {
  std::vector<double> small = {5, 1, 4, 1, 3, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};
  EXPECT_EQ(select_nth(small, 8), 5.0);  // sorted: 1 1 2 3 3 3 4 5 [5] 5 6 7 8 9 9 9
  std::mt19937 rng(17);
  std::normal_distribution<double> n01(0, 1);
  std::uniform_int_distribution<int> few(0, 3);
  for (std::size_t n : {1u, 2u, 13u, 14u, 56u, 57u, 60u, 200u}) {
    for (int kind = 0; kind < 3; ++kind) {
      for (int rep = 0; rep < 20; ++rep) {
        std::vector<double> v(n);
        for (auto& x : v) x = kind == 0 ? n01(rng) * n01(rng) : kind == 1 ? double(few(rng)) : 2.5;
        for (std::size_t k = 0; k < n; ++k) {
          auto a = v, b = v;
          std::nth_element(b.begin(), b.begin() + std::ptrdiff_t(k), b.end());
          ASSERT_EQ(select_nth(a, k), b[k]) << "n=" << n << " k=" << k << " kind=" << kind;
          std::sort(a.begin(), a.end());
          std::sort(v.begin(), v.end());
          ASSERT_EQ(a, v);  // a permutation of the input
        }
      }
    }
  }
  std::vector<double> one = {1.0};
  EXPECT_THROW(select_nth(one, 1), std::invalid_argument);
}

}  // namespace
}  // namespace wdp::dsp
