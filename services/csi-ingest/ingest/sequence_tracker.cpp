#include "ingest/sequence_tracker.h"

#include <stdexcept>

namespace wdp::ingest {

SequenceTracker::SequenceTracker(unsigned modulus_bits, bool gaps_are_loss)
    : mask_(modulus_bits >= 64 ? ~0ull : (1ull << modulus_bits) - 1), gaps_are_loss_(gaps_are_loss) {
  if (modulus_bits < 8) throw std::invalid_argument("sequence counters narrower than 8 bits are not tracked");
}

std::int64_t SequenceTracker::signed_delta(std::uint64_t a, std::uint64_t b) const {
  const std::uint64_t d = (a - b) & mask_;
  const std::uint64_t half = (mask_ >> 1) + 1;
  return d >= half ? static_cast<std::int64_t>(d) - static_cast<std::int64_t>(mask_) - 1 : static_cast<std::int64_t>(d);
}

SequenceEvent SequenceTracker::observe(std::uint64_t sequence) {
  sequence &= mask_;
  if (!started_) {
    started_ = true;
    highest_ = sequence;
    seen_.reset();
    mark(sequence);
    return SequenceEvent::first;
  }
  const std::int64_t delta = signed_delta(sequence, highest_);
  if (delta == 1) {
    ++counts_.in_order;
    highest_ = sequence;
    seen_.reset(sequence % kWindow);
    mark(sequence);
    return SequenceEvent::in_order;
  }
  if (delta > 1) {
    const auto missing = static_cast<std::uint64_t>(delta - 1);
    (gaps_are_loss_ ? counts_.lost : counts_.sensor_skipped) += missing;
    // Forget the window slots we jumped over so their numbers count as missing, not seen.
    for (std::int64_t i = 1; i <= std::min<std::int64_t>(delta, kWindow); ++i) seen_.reset((highest_ + i) % kWindow);
    highest_ = sequence;
    mark(sequence);
    return SequenceEvent::gap;
  }
  if (delta == 0 || (delta > -kWindow && seen(sequence))) {
    ++counts_.duplicates;
    return SequenceEvent::duplicate;
  }
  if (delta > -kWindow) {
    // A late arrival: it was counted missing when the gap was seen.
    ++counts_.reordered;
    if (gaps_are_loss_ && counts_.lost > 0) {
      --counts_.lost;
    } else if (!gaps_are_loss_ && counts_.sensor_skipped > 0) {
      --counts_.sensor_skipped;
    }
    mark(sequence);
    return SequenceEvent::reordered;
  }
  // Far behind: the device restarted its counter (reboot) or jumped; start over from here.
  ++counts_.resets;
  highest_ = sequence;
  seen_.reset();
  mark(sequence);
  return SequenceEvent::reset;
}

}  // namespace wdp::ingest
