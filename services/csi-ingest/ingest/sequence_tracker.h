#pragma once
// Per-node sequence tracking: tells loss from reordering from duplicates, and survives wraps and
// reboots. Sources differ in what their counter counts, so the caller says whether a forward gap
// means loss:
//   - Intel bfee_count, Nexmon/802.11 sequence numbers count transmitted reports: a gap is loss.
//   - ESP32 ADR-018 raw frames count every CSI callback, and the firmware's rate limiter sends at
//     most one per 20 ms (wire doc §3.3, §11 item 5): a gap is mostly frames the sensor chose not
//     to send, so it is counted as `sensor_skipped`, never as loss.
#include <bitset>
#include <cstdint>

namespace wdp::ingest {

struct SequenceCounts {
  std::uint64_t in_order = 0;
  std::uint64_t lost = 0;            // missing numbers on sources where gaps mean loss
  std::uint64_t sensor_skipped = 0;  // missing numbers the sensor skipped on purpose (ESP32)
  std::uint64_t reordered = 0;       // late arrivals of numbers counted missing earlier
  std::uint64_t duplicates = 0;      // numbers seen before
  std::uint64_t resets = 0;          // large backwards jumps: reboot or counter reset
};

enum class SequenceEvent { first, in_order, gap, reordered, duplicate, reset };

class SequenceTracker {
 public:
  // modulus_bits: width of the device counter (32 for ESP32, 12 for 802.11 sequence numbers...).
  // gaps_are_loss: see above.
  SequenceTracker(unsigned modulus_bits, bool gaps_are_loss);

  SequenceEvent observe(std::uint64_t sequence);
  const SequenceCounts& counts() const { return counts_; }

 private:
  static constexpr std::int64_t kWindow = 256;  // how far back reorder/duplicate detection looks

  std::int64_t signed_delta(std::uint64_t a, std::uint64_t b) const;  // a - b in counter space
  bool seen(std::uint64_t s) const { return seen_.test(s % kWindow); }
  void mark(std::uint64_t s) { seen_.set(s % kWindow); }

  std::uint64_t mask_;
  bool gaps_are_loss_;
  bool started_ = false;
  std::uint64_t highest_ = 0;   // highest sequence seen, in counter space
  std::bitset<kWindow> seen_;   // which of the last kWindow numbers arrived
  SequenceCounts counts_;
};

}  // namespace wdp::ingest
