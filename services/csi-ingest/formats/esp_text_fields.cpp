#include "formats/esp_text_fields.h"

#include <charconv>

namespace wdp::ingest {
namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses one int8 token (no surrounding spaces).
SampleListError int8_token(std::string_view t, std::string& out) {
  if (t.empty() || t.size() > 4) return t.size() > 4 && t.find_first_not_of("-0123456789") == std::string_view::npos
                                            ? SampleListError::value_out_of_range
                                            : SampleListError::bad_token;
  int v = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size()) return SampleListError::bad_token;
  if (v < -128 || v > 127) return SampleListError::value_out_of_range;
  out.push_back(static_cast<char>(static_cast<std::int8_t>(v)));
  return SampleListError::none;
}

}  // namespace

std::optional<std::int64_t> parse_int_field(std::string_view s, std::int64_t lo, std::int64_t hi) {
  s = trim_spaces(s);
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<std::string> parse_mac(std::string_view s) {
  s = trim_spaces(s);
  if (s.size() != 17) return std::nullopt;
  std::string out(17, ':');
  for (std::size_t i = 0; i < 17; ++i) {
    if (i % 3 == 2) {
      if (s[i] != ':') return std::nullopt;
      continue;
    }
    const int h = hex_value(s[i]);
    if (h < 0) return std::nullopt;
    out[i] = "0123456789abcdef"[h];
  }
  return out;
}

std::string mac_compact(std::string_view mac) {
  std::string out;
  out.reserve(12);
  for (const char c : mac) {
    if (c != ':') out.push_back(c);
  }
  return out;
}

SampleListError parse_int8_list(std::string_view s, char sep, std::size_t max_values, std::string& out) {
  std::size_t n = 0;
  if (sep == ' ') {
    std::size_t i = 0;
    while (i < s.size()) {
      if (s[i] == ' ') {
        ++i;
        continue;
      }
      const std::size_t j = std::min(s.find(' ', i), s.size());
      if (++n > max_values) return SampleListError::too_many;
      if (const auto e = int8_token(s.substr(i, j - i), out); e != SampleListError::none) return e;
      i = j;
    }
    return SampleListError::none;
  }
  if (trim_spaces(s).empty()) return SampleListError::none;  // "[]"
  std::size_t i = 0;
  while (true) {
    const std::size_t j = std::min(s.find(sep, i), s.size());
    if (++n > max_values) return SampleListError::too_many;
    if (const auto e = int8_token(trim_spaces(s.substr(i, j - i)), out); e != SampleListError::none) return e;
    if (j == s.size()) return SampleListError::none;
    i = j + 1;
  }
}

const char* to_reason(SampleListError e) {
  switch (e) {
    case SampleListError::none: return "ok";
    case SampleListError::bad_token: return "bad_token";
    case SampleListError::value_out_of_range: return "value_out_of_range";
    case SampleListError::too_many: return "count_mismatch";
  }
  return "bad_token";
}

std::uint64_t U32ClockUnwrapper::unwrap(const std::string& key, std::uint32_t v) {
  constexpr std::uint32_t kHalf = 0x8000'0000u;
  auto it = state_.find(key);
  if (it == state_.end()) {
    if (state_.size() >= kMaxKeys) state_.clear();
    state_.emplace(key, State{v, 0});
    return v;
  }
  State& s = it->second;
  if (v < s.last && s.last - v > kHalf) {
    ++s.wraps;
  } else if (v > s.last && v - s.last > kHalf) {
    // A late value from before the last wrap: place it in the previous period, keep the state.
    return s.wraps > 0 ? ((s.wraps - 1) << 32) + v : v;
  }
  s.last = v;
  return (s.wraps << 32) + v;
}

}  // namespace wdp::ingest
