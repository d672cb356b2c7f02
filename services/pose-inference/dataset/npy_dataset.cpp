#include "npy_dataset.h"

#include <stdexcept>

#include "npy_writer.h"

namespace wdp::pose {
namespace {

template <class T>
std::vector<T> read_all(const std::filesystem::path& p, const char* descr, std::size_t rows, std::size_t per_row) {
  const auto info = recorder::read_npy_info(p);
  if (info.descr != descr || info.fortran_order) throw std::runtime_error(p.string() + ": expected C-order " + descr);
  std::size_t items = 1;
  for (auto d : info.shape) items *= d;
  if (info.shape.empty() || info.shape[0] != rows || items != rows * per_row)
    throw std::runtime_error(p.string() + ": shape does not match X.npy");
  std::vector<T> v(items);
  std::ifstream in(p, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(info.data_offset));
  if (!in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(items * sizeof(T))))
    throw std::runtime_error(p.string() + ": short data");
  return v;
}

}  // namespace

int split_code(const std::string& name) {
  if (name == "all") return -1;
  const char* names[] = {"train", "val", "test_room", "test_subject"};
  for (int i = 0; i < 4; ++i)
    if (name == names[i]) return i;
  throw std::runtime_error("unknown split '" + name + "' (all, train, val, test_room, test_subject)");
}

NpyDataset::NpyDataset(const std::filesystem::path& dir) {
  const auto xi = recorder::read_npy_info(dir / "X.npy");
  if (xi.descr != "<f4" || xi.fortran_order || xi.shape.size() != 5 || xi.shape[3] != 56 || xi.shape[4] != 2)
    throw std::runtime_error((dir / "X.npy").string() + ": expected float32 [N,T,L,56,2]");
  n_ = xi.shape[0];
  frames_ = xi.shape[1];
  links_ = xi.shape[2];
  x_offset_ = xi.data_offset;
  x_.open(dir / "X.npy", std::ios::binary);
  y_ = read_all<float>(dir / "Y.npy", "<f4", n_, 51);
  present_ = read_all<std::uint8_t>(dir / "present.npy", "|u1", n_, 1);
  split_ = read_all<std::uint8_t>(dir / "split.npy", "|u1", n_, 1);
  t_ = read_all<float>(dir / "t.npy", "<f4", n_, 1);
}

void NpyDataset::window(std::size_t i, std::vector<float>& out) {
  if (i >= n_) throw std::out_of_range("NpyDataset::window");
  out.resize(window_values());
  x_.seekg(static_cast<std::streamoff>(x_offset_ + i * window_values() * sizeof(float)));
  if (!x_.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size() * sizeof(float))))
    throw std::runtime_error("X.npy: short read at row " + std::to_string(i));
}

}  // namespace wdp::pose
