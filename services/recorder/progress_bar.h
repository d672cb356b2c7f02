#pragma once
// A one-line progress bar on stderr that redraws in place ("\r"), at most 10 times a second:
//   replay [##########----------]  50.0%  5000/10000  1234.5/s  ETA 4s
// When stderr is not a terminal it prints only the final line, so logs stay readable.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace wdp::recorder {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::uint64_t total, bool enabled = true);
  void update(std::uint64_t done);
  void finish(std::uint64_t done);

  // The line for `done` after `seconds`; exposed for tests.
  static std::string render(const std::string& label, std::uint64_t done, std::uint64_t total, double seconds);

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace wdp::recorder
