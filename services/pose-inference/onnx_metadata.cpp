#include "onnx_metadata.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wdp::pose {
namespace {

constexpr std::uint32_t kMetadataProps = 14;

struct Reader {
  std::string_view b;
  std::size_t pos = 0;
  bool done() const { return pos >= b.size(); }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= b.size()) throw std::runtime_error("truncated varint");
      const auto c = static_cast<std::uint8_t>(b[pos++]);
      v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    throw std::runtime_error("varint too long");
  }
  std::string_view bytes() {
    const std::uint64_t n = varint();
    if (n > b.size() - pos) throw std::runtime_error("truncated length-delimited field");
    const auto out = b.substr(pos, n);
    pos += n;
    return out;
  }
  void skip(std::uint32_t wire) {
    switch (wire) {
      case 0: varint(); break;
      case 1: advance(8); break;
      case 2: bytes(); break;
      case 5: advance(4); break;
      default: throw std::runtime_error("unsupported wire type " + std::to_string(wire));
    }
  }
  void advance(std::size_t n) {
    if (n > b.size() - pos) throw std::runtime_error("truncated fixed field");
    pos += n;
  }
};

}  // namespace

std::map<std::string, std::string> parse_onnx_metadata(std::string_view bytes) {
  std::map<std::string, std::string> out;
  Reader r{bytes};
  while (!r.done()) {
    const std::uint64_t tag = r.varint();
    const auto field = static_cast<std::uint32_t>(tag >> 3), wire = static_cast<std::uint32_t>(tag & 7);
    if (field == kMetadataProps && wire == 2) {
      Reader e{r.bytes()};
      std::string key, value;
      while (!e.done()) {
        const std::uint64_t t = e.varint();
        const auto f = static_cast<std::uint32_t>(t >> 3), w = static_cast<std::uint32_t>(t & 7);
        if (f == 1 && w == 2) key = e.bytes();
        else if (f == 2 && w == 2) value = e.bytes();
        else e.skip(w);
      }
      out[key] = value;
    } else {
      r.skip(wire);
    }
  }
  return out;
}

std::map<std::string, std::string> read_onnx_metadata(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  try {
    return parse_onnx_metadata(ss.str());
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": not an ONNX model (" + e.what() + ")");
  }
}

}  // namespace wdp::pose
