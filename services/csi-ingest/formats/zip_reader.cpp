#include "formats/zip_reader.h"

#include <zlib.h>

#include <cstring>

namespace wdp::ingest {
namespace {

std::uint32_t u32(std::span<const std::byte> b, std::size_t off) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + off, 4);
  return v;
}
std::uint16_t u16(std::span<const std::byte> b, std::size_t off) {
  std::uint16_t v;
  std::memcpy(&v, b.data() + off, 2);
  return v;
}

ZipResult fail(std::string reason, std::string detail) {
  ZipResult r;
  r.error = std::move(reason);
  r.detail = std::move(detail);
  return r;
}

bool inflate_raw(std::span<const std::byte> in, std::size_t expected, std::string& out) {
  out.resize(expected);
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  const bool ok = rc == Z_STREAM_END && z.total_out == expected;
  inflateEnd(&z);
  return ok;
}

}  // namespace

ZipResult read_zip(std::span<const std::byte> a, std::size_t max_member_bytes) {
  constexpr std::uint32_t kEocd = 0x06054b50, kCentral = 0x02014b50, kLocal = 0x04034b50;
  if (a.size() < 22) return fail("truncated_header", "shorter than a ZIP end record");
  // The end-of-central-directory record sits in the last 22 + 65535 bytes.
  std::size_t eocd = std::string::npos;
  const std::size_t stop = a.size() > 22 + 65535 ? a.size() - 22 - 65535 : 0;
  for (std::size_t off = a.size() - 22 + 1; off-- > stop;) {
    if (u32(a, off) == kEocd) {
      eocd = off;
      break;
    }
  }
  if (eocd == std::string::npos) return fail("bad_magic", "no ZIP end-of-central-directory record");
  const std::size_t entries = u16(a, eocd + 10);
  const std::size_t cd_size = u32(a, eocd + 12), cd_off = u32(a, eocd + 16);
  if (cd_off == 0xFFFFFFFF || entries == 0xFFFF) return fail("unsupported_container", "ZIP64 archive");
  if (cd_off > eocd || cd_size > eocd - cd_off) return fail("bad_length", "central directory outside the file");

  ZipResult r;
  std::size_t p = cd_off;
  for (std::size_t i = 0; i < entries; ++i) {
    if (p + 46 > eocd || u32(a, p) != kCentral) return fail("bad_magic", "central directory entry " + std::to_string(i));
    const std::uint16_t flags = u16(a, p + 8), method = u16(a, p + 10);
    const std::size_t csize = u32(a, p + 20), usize = u32(a, p + 24);
    const std::size_t name_len = u16(a, p + 28), extra_len = u16(a, p + 30), comment_len = u16(a, p + 32);
    const std::size_t local = u32(a, p + 42);
    if (p + 46 + name_len > eocd) return fail("bad_length", "entry name outside the directory");
    std::string name(reinterpret_cast<const char*>(a.data() + p + 46), name_len);
    p += 46 + name_len + extra_len + comment_len;
    if (flags & 1) return fail("unsupported_container", name + ": encrypted");
    if (csize == 0xFFFFFFFF || usize == 0xFFFFFFFF) return fail("unsupported_container", name + ": ZIP64 sizes");
    if (usize > max_member_bytes) return fail("bad_length", name + ": " + std::to_string(usize) + " bytes uncompressed");
    if (local + 30 > a.size() || u32(a, local) != kLocal) return fail("bad_magic", name + ": no local header");
    const std::size_t data = local + 30 + u16(a, local + 26) + u16(a, local + 28);
    if (data > a.size() || csize > a.size() - data) return fail("truncated_payload", name + ": data past the end");
    const auto in = a.subspan(data, csize);
    std::string out;
    if (method == 0) {
      if (csize != usize) return fail("bad_length", name + ": stored sizes differ");
      out.assign(reinterpret_cast<const char*>(in.data()), in.size());
    } else if (method == 8) {
      if (!inflate_raw(in, usize, out)) return fail("corrupt_payload", name + ": deflate stream does not inflate to its size");
    } else {
      return fail("unsupported_container", name + ": compression method " + std::to_string(method));
    }
    r.members.emplace(std::move(name), std::move(out));
  }
  return r;
}

}  // namespace wdp::ingest
