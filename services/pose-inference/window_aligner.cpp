#include "window_aligner.h"

#include <algorithm>
#include <stdexcept>

namespace wdp::pose {
namespace {
constexpr std::size_t kBinsTimesChannels = 56 * 2;
}

WindowAligner::WindowAligner(std::size_t nodes, std::size_t frames, double tolerance_s)
    : frames_(frames), tolerance_s_(tolerance_s), queues_(nodes) {}

void WindowAligner::push(std::size_t node, NodeWindow w) {
  if (node >= queues_.size()) throw std::out_of_range("WindowAligner: node index");
  if (w.values.size() != frames_ * kBinsTimesChannels) throw std::invalid_argument("WindowAligner: window size");
  queues_[node].push_back(std::move(w));
}

std::optional<JoinedWindow> WindowAligner::pop() {
  for (;;) {
    double newest = -1e300;
    for (const auto& q : queues_) {
      if (q.empty()) return std::nullopt;
      newest = std::max(newest, q.front().t);
    }
    bool dropped = false;
    for (auto& q : queues_) {
      if (q.front().t < newest - tolerance_s_) {
        q.pop_front();
        dropped = true;
      }
    }
    if (dropped) continue;
    const std::size_t links = queues_.size();
    JoinedWindow out{.t = newest, .frames = frames_, .values = std::vector<float>(frames_ * links * kBinsTimesChannels)};
    for (std::size_t l = 0; l < links; ++l) {
      const auto& src = queues_[l].front().values;
      for (std::size_t t = 0; t < frames_; ++t) {
        std::copy_n(src.begin() + static_cast<std::ptrdiff_t>(t * kBinsTimesChannels), kBinsTimesChannels,
                    out.values.begin() + static_cast<std::ptrdiff_t>((t * links + l) * kBinsTimesChannels));
      }
      queues_[l].pop_front();
    }
    return out;
  }
}

}  // namespace wdp::pose
