#include "replayer.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace wdp::recorder {

ReplayResult Replayer::run(const SendFn& send, const std::function<void(std::uint64_t)>& progress,
                           const std::function<bool()>& should_stop) const {
  using clock = std::chrono::steady_clock;
  ReplayResult res;
  const auto start = clock::now();
  bool first = true;
  std::int64_t first_pt = 0, prev_pt = 0;
  res.source = source_.for_each([&](const RecordView& r) {
    if (!options_.topics.empty() &&
        std::none_of(options_.topics.begin(), options_.topics.end(), [&](const auto& p) { return r.topic.starts_with(p); })) {
      ++res.skipped;
      return true;
    }
    if (first) {
      first_pt = prev_pt = r.publish_time_ns;
      first = false;
    }
    if (!options_.as_fast_as_possible) {
      // Times that go backwards (several publishers) send at once: order is never changed.
      prev_pt = std::max(prev_pt, r.publish_time_ns);
      const auto due = start + std::chrono::nanoseconds(
                                   static_cast<std::int64_t>(static_cast<double>(prev_pt - first_pt) / options_.speed));
      while (clock::now() < due) {
        if (should_stop()) return false;
        std::this_thread::sleep_for(std::min<clock::duration>(due - clock::now(), std::chrono::milliseconds(100)));
      }
    }
    while (!send(r.topic, r.payload)) {
      ++res.retries;
      if (should_stop()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ++res.sent;
    if (progress) progress(res.sent);
    return !should_stop();
  });
  res.seconds = std::chrono::duration<double>(clock::now() - start).count();
  return res;
}

}  // namespace wdp::recorder
