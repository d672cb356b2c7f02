#include "formats/npy_array.h"

#include <charconv>
#include <cstring>

namespace wdp::ingest {
namespace {

// Value of a key in the header dict, e.g. 'descr': '<f8' -> <f8 ; 'shape': (3, 4) -> (3, 4)
std::string_view dict_value(std::string_view header, std::string_view key) {
  const std::string quoted = "'" + std::string(key) + "':";
  const auto k = header.find(quoted);
  if (k == std::string_view::npos) return {};
  std::string_view rest = header.substr(k + quoted.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) return {};
  if (rest.front() == '\'') {
    const auto end = rest.find('\'', 1);
    return end == std::string_view::npos ? std::string_view{} : rest.substr(1, end - 1);
  }
  if (rest.front() == '(') {
    const auto end = rest.find(')');
    return end == std::string_view::npos ? std::string_view{} : rest.substr(0, end + 1);
  }
  const auto end = rest.find_first_of(",}");
  return rest.substr(0, end);
}

}  // namespace

std::size_t NpyArray::element_count() const {
  std::size_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::size_t NpyArray::item_size() const {
  if (descr.size() < 3) return 0;
  std::size_t n = 0;
  const auto r = std::from_chars(descr.data() + 2, descr.data() + descr.size(), n);
  if (r.ec != std::errc{}) return 0;
  return descr[1] == 'U' ? 4 * n : n;
}

bool NpyArray::as_double(double& out) const {
  if (!shape.empty() || data.size() < 8) return false;
  if (descr == "<f8") {
    std::memcpy(&out, data.data(), 8);
    return true;
  }
  if (descr == "<i8") {
    std::int64_t v;
    std::memcpy(&v, data.data(), 8);
    out = double(v);
    return true;
  }
  return false;
}

bool NpyArray::as_string(std::string& out) const {
  out.clear();
  if (descr.size() < 3 || data.size() < item_size()) return false;
  if (descr[1] == 'U') {
    for (std::size_t i = 0; i + 4 <= item_size(); i += 4) {
      std::uint32_t c;
      std::memcpy(&c, data.data() + i, 4);
      if (c == 0) break;
      out.push_back(c < 128 ? char(c) : '?');
    }
    return true;
  }
  if (descr[1] == 'S') {
    out.assign(data.data(), strnlen(data.data(), item_size()));
    return true;
  }
  return false;
}

NpyArray parse_npy(std::string_view b) {
  NpyArray a;
  if (b.size() < 10 || b.substr(0, 6) != "\x93NUMPY") {
    a.error = "not an .npy array";
    return a;
  }
  const auto major = static_cast<unsigned char>(b[6]);
  std::size_t header_len = 0, header_off = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
    header_off = 10;
  } else if ((major == 2 || major == 3) && b.size() >= 12) {
    std::uint32_t v;
    std::memcpy(&v, b.data() + 8, 4);
    header_len = v;
    header_off = 12;
  } else {
    a.error = "unsupported .npy version " + std::to_string(major);
    return a;
  }
  if (header_off + header_len > b.size()) {
    a.error = "header runs past the end";
    return a;
  }
  const std::string_view header = b.substr(header_off, header_len);
  a.descr = std::string(dict_value(header, "descr"));
  a.fortran_order = dict_value(header, "fortran_order").starts_with("True");
  std::string_view shape = dict_value(header, "shape");
  if (a.descr.empty() || shape.empty()) {
    a.error = "header lacks descr or shape";
    return a;
  }
  shape.remove_prefix(1);  // '('
  while (!shape.empty()) {
    while (!shape.empty() && (shape.front() == ' ' || shape.front() == ',')) shape.remove_prefix(1);
    if (shape.empty() || shape.front() == ')') break;
    std::size_t d = 0;
    const auto r = std::from_chars(shape.data(), shape.data() + shape.size(), d);
    if (r.ec != std::errc{} || d > (std::size_t{1} << 32)) {
      a.error = "bad shape";
      return a;
    }
    a.shape.push_back(d);
    shape.remove_prefix(static_cast<std::size_t>(r.ptr - shape.data()));
  }
  a.data = b.substr(header_off + header_len);
  // Multiply with overflow checks: a hostile shape must not wrap around to a small size.
  std::size_t need = a.item_size();
  bool overflow = need == 0;
  for (auto d : a.shape) overflow |= __builtin_mul_overflow(need, d, &need);
  if (overflow || need > a.data.size()) {
    a.error = "data shorter than its shape (" + std::to_string(need) + " bytes needed)";
  }
  return a;
}

}  // namespace wdp::ingest
