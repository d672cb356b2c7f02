#include "npy_writer.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <regex>
#include <stdexcept>
#include <utility>

namespace wdp::recorder {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kPrefix = 10;  // magic (6) + version (2) + header length (2)
constexpr std::size_t kAlign = 64;

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    s += std::to_string(shape[i]);
    s += shape.size() == 1 ? "," : (i + 1 < shape.size() ? ", " : "");
  }
  return s + ")";
}

}  // namespace

std::string npy_header(const std::string& descr, const std::vector<std::size_t>& shape, std::size_t min_size) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_text(shape) + ", }";
  std::size_t total = kPrefix + dict.size() + 1;  // + '\n'
  total = std::max(total, min_size);
  total = (total + kAlign - 1) / kAlign * kAlign;
  if (total - kPrefix > 0xFFFF) throw std::invalid_argument("npy header too long");
  dict.append(total - kPrefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  const auto len = static_cast<std::uint16_t>(dict.size());
  out += static_cast<char>(len & 0xFF);
  out += static_cast<char>(len >> 8);
  return out + dict;
}

NpyWriter::NpyWriter(const std::filesystem::path& path, std::string descr, std::size_t item_size,
                     std::vector<std::size_t> row_shape)
    : path_(path), descr_(std::move(descr)), item_size_(item_size), row_shape_(std::move(row_shape)) {
  for (auto d : row_shape_) row_items_ *= d;
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw std::runtime_error("cannot create " + path.string());
  // Room for the largest possible row count, so close() can rewrite the header in place.
  std::vector<std::size_t> widest{std::numeric_limits<std::size_t>::max()};
  widest.insert(widest.end(), row_shape_.begin(), row_shape_.end());
  header_size_ = npy_header(descr_, widest).size();
  const std::string placeholder(header_size_, ' ');
  std::fwrite(placeholder.data(), 1, placeholder.size(), file_);
}

NpyWriter::NpyWriter(NpyWriter&& o) noexcept
    : path_(std::move(o.path_)),
      descr_(std::move(o.descr_)),
      item_size_(o.item_size_),
      row_shape_(std::move(o.row_shape_)),
      row_items_(o.row_items_),
      header_size_(o.header_size_),
      rows_(o.rows_),
      file_(std::exchange(o.file_, nullptr)) {}

NpyWriter::~NpyWriter() {
  if (file_) std::fclose(file_);
}

void NpyWriter::append(const void* rows, std::size_t n_rows) {
  const std::size_t bytes = n_rows * row_items_ * item_size_;
  if (bytes > 0 && std::fwrite(rows, 1, bytes, file_) != bytes) throw std::runtime_error("cannot write " + path_.string());
  rows_ += n_rows;
}

void NpyWriter::close() {
  if (!file_) return;
  std::vector<std::size_t> shape{rows_};
  shape.insert(shape.end(), row_shape_.begin(), row_shape_.end());
  const auto header = npy_header(descr_, shape, header_size_);
  const bool ok = header.size() == header_size_ && std::fseek(file_, 0, SEEK_SET) == 0 &&
                  std::fwrite(header.data(), 1, header.size(), file_) == header.size();
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || !closed) throw std::runtime_error("cannot finish " + path_.string());
}

NpyInfo read_npy_info(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char prefix[kPrefix];
  if (!in.read(prefix, kPrefix) || std::memcmp(prefix, kMagic, 6) != 0 || prefix[6] != 1 || prefix[7] != 0) {
    throw std::runtime_error(path.string() + ": not an NPY 1.0 file");
  }
  const std::size_t len = static_cast<unsigned char>(prefix[8]) | (static_cast<unsigned char>(prefix[9]) << 8);
  std::string dict(len, '\0');
  if (!in.read(dict.data(), static_cast<std::streamsize>(len))) throw std::runtime_error(path.string() + ": short header");
  NpyInfo info;
  info.data_offset = kPrefix + len;
  std::smatch m;
  if (!std::regex_search(dict, m, std::regex(R"('descr': '([^']+)')"))) throw std::runtime_error("no descr");
  info.descr = m[1];
  info.fortran_order = dict.find("'fortran_order': True") != std::string::npos;
  if (!std::regex_search(dict, m, std::regex(R"('shape': \(([^)]*)\))"))) throw std::runtime_error("no shape");
  const std::string dims = m[1];
  const std::regex number(R"(\d+)");
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
    info.shape.push_back(std::stoull(it->str()));
  }
  return info;
}

}  // namespace wdp::recorder
