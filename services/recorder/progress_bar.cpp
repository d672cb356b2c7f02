#include "progress_bar.h"

#include <unistd.h>

#include <algorithm>

namespace wdp::recorder {

ProgressBar::ProgressBar(std::string label, std::uint64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled), tty_(::isatty(STDERR_FILENO) != 0) {}

std::string ProgressBar::render(const std::string& label, std::uint64_t done, std::uint64_t total, double seconds) {
  constexpr int kWidth = 30;
  const double frac = total > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 1.0;
  const int filled = static_cast<int>(frac * kWidth);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const double eta = rate > 0 && total > done ? static_cast<double>(total - done) / rate : 0;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s [%s%s] %5.1f%%  %llu/%llu  %.1f/s  ETA %.0fs", label.c_str(),
                std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(kWidth - filled), '-').c_str(), frac * 100,
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(total), rate, eta);
  return buf;
}

void ProgressBar::update(std::uint64_t done) {
  if (!enabled_ || !tty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double s = std::chrono::duration<double>(now - start_).count();
  std::fprintf(stderr, "\r%s\x1b[K", render(label_, done, total_, s).c_str());
  std::fflush(stderr);
}

void ProgressBar::finish(std::uint64_t done) {
  if (!enabled_) return;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "%s%s\n", tty_ ? "\r" : "", render(label_, done, total_, s).c_str());
}

}  // namespace wdp::recorder
