#pragma once
// Time arguments and page tokens of event queries: RFC 3339 or integer ns since the epoch, and an
// opaque cursor (hex of "<time_ns>:<id>") that resumes after the last event of a page.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wdp::gateway {

// "2026-11-23T14:00:00Z", "2026-11-23T14:00:00.5+01:00" or "1763906400000000000".
// nullopt when it is neither.
std::optional<std::int64_t> parse_time_ns(std::string_view text);

struct PageCursor {
  std::int64_t time_ns = 0;
  std::int64_t id = 0;
};
std::string encode_page_token(const PageCursor& c);
std::optional<PageCursor> decode_page_token(std::string_view token);

}  // namespace wdp::gateway
