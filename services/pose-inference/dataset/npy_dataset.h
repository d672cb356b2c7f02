#pragma once
// Reads a pose-dataset directory (X.npy [N,T,L,56,2] f32, Y.npy [N,1,17,3] f32, present.npy
// [N,1] u8, split.npy [N] u8, t.npy [N] f32) for pose-infer. X is read row by row, not loaded.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace wdp::pose {

class NpyDataset {
 public:
  explicit NpyDataset(const std::filesystem::path& dir);  // throws std::runtime_error with the reason
  std::size_t size() const { return n_; }
  std::size_t frames() const { return frames_; }
  std::size_t links() const { return links_; }
  std::size_t window_values() const { return frames_ * links_ * 112; }
  // Reads window i ([T][L][56][2]) into out.
  void window(std::size_t i, std::vector<float>& out);
  const std::vector<float>& truth() const { return y_; }            // N x 17 x 3 (first person)
  const std::vector<std::uint8_t>& present() const { return present_; }
  const std::vector<std::uint8_t>& split() const { return split_; }  // 0 train, 1 val, 2 test_room, 3 test_subject
  const std::vector<float>& times() const { return t_; }

 private:
  std::size_t n_ = 0, frames_ = 0, links_ = 0, x_offset_ = 0;
  std::ifstream x_;
  std::vector<float> y_, t_;
  std::vector<std::uint8_t> present_, split_;
};

// Split name -> code, or -1 for "all"; throws on unknown names.
int split_code(const std::string& name);

}  // namespace wdp::pose
