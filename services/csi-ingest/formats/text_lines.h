#pragma once
// Splits a byte stream into text lines for the line-based CSI formats. Chunks may be any size;
// a line is delivered once complete, without its "\n" or a trailing "\r". Lines longer than the
// bound are dropped whole (reported once, at their end) so memory stays bounded on any input.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace wdp::ingest {

class TextLineSplitter {
 public:
  explicit TextLineSplitter(std::size_t max_line) : max_line_(max_line) {}

  // on_line(std::string_view line, std::uint64_t offset); on_too_long(std::uint64_t offset)
  template <class OnLine, class OnTooLong>
  void feed(std::span<const std::byte> chunk, OnLine&& on_line, OnTooLong&& on_too_long) {
    const char* p = reinterpret_cast<const char*>(chunk.data());
    std::size_t left = chunk.size();
    while (left > 0) {
      const auto* nl = static_cast<const char*>(std::memchr(p, '\n', left));
      const std::size_t seg = nl ? static_cast<std::size_t>(nl - p) : left;
      append(p, seg);
      offset_ += seg;
      p += seg;
      left -= seg;
      if (!nl) break;
      end_line(on_line, on_too_long);
      ++offset_;
      ++p;
      --left;
      start_ = offset_;
    }
  }

  // A final line without "\n" is still delivered (files often lack the last newline).
  template <class OnLine, class OnTooLong>
  void finish(OnLine&& on_line, OnTooLong&& on_too_long) {
    if (too_long_ || !line_.empty()) end_line(on_line, on_too_long);
    start_ = offset_;
  }

 private:
  void append(const char* p, std::size_t n) {
    if (too_long_) return;
    if (line_.size() + n > max_line_) {
      too_long_ = true;
      line_.clear();
      return;
    }
    line_.append(p, n);
  }

  template <class OnLine, class OnTooLong>
  void end_line(OnLine& on_line, OnTooLong& on_too_long) {
    if (too_long_) {
      on_too_long(start_);
    } else {
      std::string_view v(line_);
      if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
      on_line(v, start_);
    }
    line_.clear();
    too_long_ = false;
  }

  std::size_t max_line_;
  std::string line_;
  bool too_long_ = false;
  std::uint64_t offset_ = 0;  // stream offset of the next byte
  std::uint64_t start_ = 0;   // stream offset of the current line
};

}  // namespace wdp::ingest
