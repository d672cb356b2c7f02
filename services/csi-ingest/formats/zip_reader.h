#pragma once
// A minimal reader for ZIP archives held in memory: stored and deflated members, no ZIP64, no
// encryption. Every offset and size is checked against the buffer; sizes are bounded.
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>

namespace wdp::ingest {

struct ZipResult {
  std::map<std::string, std::string> members;  // name -> uncompressed bytes
  std::string error;                           // reject reason code when the archive is unusable
  std::string detail;
};

ZipResult read_zip(std::span<const std::byte> archive, std::size_t max_member_bytes);

}  // namespace wdp::ingest
