#pragma once
// Field parsers shared by the ESP-IDF text formats (CSI_DATA lines, ESP32-CSI-Tool CSV).
// All are strict and allocation-bounded: a spliced log fragment must fail, never be guessed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wdp::ingest {

// Whole-string decimal integer in [lo, hi]; surrounding spaces allowed, nothing else.
std::optional<std::int64_t> parse_int_field(std::string_view s, std::int64_t lo, std::int64_t hi);

// "aa:bb:cc:dd:ee:ff" (either case) -> lower-case form; nullopt if malformed.
std::optional<std::string> parse_mac(std::string_view s);

// "aa:bb:cc:dd:ee:ff" -> "aabbccddeeff".
std::string mac_compact(std::string_view mac);

enum class SampleListError { none, bad_token, value_out_of_range, too_many };

// Integers in -128..127 separated by `sep` (',' or ' '). With ' ', runs of spaces and a trailing
// space are allowed; with ',', every token must be non-empty (spaces around it allowed).
// Appends each value as one byte to `out`; stops with too_many after max_values values.
SampleListError parse_int8_list(std::string_view s, char sep, std::size_t max_values, std::string& out);

const char* to_reason(SampleListError e);

// Unwraps a u32 microsecond clock (ESP local_timestamp wraps after ~71.6 min) per key (node).
// A backwards jump of more than half the range is a wrap; a small one is kept (reordering).
class U32ClockUnwrapper {
 public:
  std::uint64_t unwrap(const std::string& key, std::uint32_t v);

 private:
  struct State {
    std::uint32_t last = 0;
    std::uint64_t wraps = 0;
  };
  static constexpr std::size_t kMaxKeys = 1024;  // bounded: forget everything past this many nodes
  std::unordered_map<std::string, State> state_;
};

}  // namespace wdp::ingest
