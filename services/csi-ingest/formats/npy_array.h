#pragma once
// Parses a NumPy .npy v1/v2/v3 buffer: magic, header dict ('descr', 'fortran_order', 'shape'),
// then the raw data. Only what the header says is trusted after checking it fits the buffer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wdp::ingest {

struct NpyArray {
  std::string descr;                 // e.g. "|i1", "<f8", "<U8"
  bool fortran_order = false;
  std::vector<std::size_t> shape;    // empty for a scalar
  std::string_view data;             // view into the parsed buffer
  std::string error;                 // empty when valid

  std::size_t element_count() const;
  std::size_t item_size() const;     // bytes per element from descr, 0 if unknown
  // Scalar conveniences; return false when the type does not match.
  bool as_double(double& out) const;
  bool as_string(std::string& out) const;  // '<U…' (UTF-32LE, ASCII only) or '|S…'
};

NpyArray parse_npy(std::string_view bytes);

}  // namespace wdp::ingest
