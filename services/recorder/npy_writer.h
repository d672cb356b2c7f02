#pragma once
// NumPy .npy files, format version 1.0, written without NumPy: magic "\x93NUMPY", version 1.0,
// u16 header length, a Python dict literal {'descr', 'fortran_order', 'shape'} padded with spaces
// and a newline so the data starts at a multiple of 64 bytes, then C-order little-endian data.
//
// NpyWriter streams rows whose count is unknown up front: it reserves room in the header for a
// 20-digit row count and rewrites the header on close().
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace wdp::recorder {

template <class T>
constexpr const char* npy_descr();
template <> constexpr const char* npy_descr<float>() { return "<f4"; }
template <> constexpr const char* npy_descr<double>() { return "<f8"; }
template <> constexpr const char* npy_descr<std::int32_t>() { return "<i4"; }
template <> constexpr const char* npy_descr<std::int64_t>() { return "<i8"; }
template <> constexpr const char* npy_descr<std::uint8_t>() { return "|u1"; }
template <> constexpr const char* npy_descr<std::uint32_t>() { return "<u4"; }
template <> constexpr const char* npy_descr<std::uint64_t>() { return "<u8"; }

// The full header (magic through padding) for an array; at least `min_size` bytes long.
std::string npy_header(const std::string& descr, const std::vector<std::size_t>& shape, std::size_t min_size = 0);

class NpyWriter {
 public:
  // row_shape: dimensions after the first (growing) one; empty for a 1-D array.
  NpyWriter(const std::filesystem::path& path, std::string descr, std::size_t item_size,
            std::vector<std::size_t> row_shape);
  ~NpyWriter();
  NpyWriter(const NpyWriter&) = delete;
  NpyWriter& operator=(const NpyWriter&) = delete;

  template <class T>
  static NpyWriter of(const std::filesystem::path& path, std::vector<std::size_t> row_shape) {
    return NpyWriter(path, npy_descr<T>(), sizeof(T), std::move(row_shape));
  }
  NpyWriter(NpyWriter&& other) noexcept;

  // Appends rows (row_items() values each, already in the file's byte order).
  void append(const void* rows, std::size_t n_rows = 1);
  std::size_t row_items() const { return row_items_; }
  std::size_t rows() const { return rows_; }
  // Writes the final shape into the header and closes the file; throws on I/O errors.
  void close();

 private:
  std::filesystem::path path_;
  std::string descr_;
  std::size_t item_size_;
  std::vector<std::size_t> row_shape_;
  std::size_t row_items_ = 1;
  std::size_t header_size_ = 0;
  std::size_t rows_ = 0;
  std::FILE* file_ = nullptr;
};

// Writes a whole array at once.
template <class T>
void write_npy(const std::filesystem::path& path, const std::vector<std::size_t>& shape, const std::vector<T>& data) {
  std::vector<std::size_t> row_shape(shape.begin() + (shape.empty() ? 0 : 1), shape.end());
  auto w = NpyWriter::of<T>(path, row_shape);
  const std::size_t n = shape.empty() ? 0 : shape.front();
  if (n > 0) w.append(data.data(), n);
  w.close();
}

// What a .npy header says; for tests and tools that check files.
struct NpyInfo {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::size_t> shape;
  std::size_t data_offset = 0;
};
NpyInfo read_npy_info(const std::filesystem::path& path);  // throws std::runtime_error

}  // namespace wdp::recorder
