#include "npy_writer.h"

#include <gtest/gtest.h>

#include <fstream>

#include "progress_bar.h"

namespace wdp::recorder {
namespace {

namespace fs = std::filesystem;

TEST(NpyWriter, HeaderIsAlignedAndParsable) {
  for (const auto& shape : std::vector<std::vector<std::size_t>>{{}, {5}, {3, 114, 10}, {297, 17, 3}}) {
    const auto h = npy_header("<f4", shape);
    EXPECT_EQ(h.size() % 64, 0u);
    EXPECT_EQ(h.substr(0, 6), "\x93NUMPY");
    EXPECT_EQ(h.back(), '\n');
  }
  EXPECT_NE(npy_header("<f4", {5}).find("'shape': (5,)"), std::string::npos);
  EXPECT_NE(npy_header("<i8", {2, 3}).find("'shape': (2, 3)"), std::string::npos);
  EXPECT_NE(npy_header("<i8", {}).find("'shape': ()"), std::string::npos);
}

TEST(NpyWriter, StreamsRowsAndFixesTheShapeOnClose) {
  const auto path = fs::temp_directory_path() / ("wdp-npy-" + std::to_string(::getpid()) + ".npy");
  {
    auto w = NpyWriter::of<float>(path, {2, 3});
    for (int r = 0; r < 4; ++r) {
      float row[6];
      for (int i = 0; i < 6; ++i) row[i] = static_cast<float>(r * 10 + i);
      w.append(row);
    }
    w.close();
  }
  const auto info = read_npy_info(path);
  EXPECT_EQ(info.descr, "<f4");
  EXPECT_FALSE(info.fortran_order);
  EXPECT_EQ(info.shape, (std::vector<std::size_t>{4, 2, 3}));
  EXPECT_EQ(info.data_offset % 64, 0u);
  EXPECT_EQ(fs::file_size(path), info.data_offset + 4 * 6 * sizeof(float));
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(info.data_offset + 3 * 6 * sizeof(float) + 5 * sizeof(float)));
  float v = 0;
  in.read(reinterpret_cast<char*>(&v), sizeof v);
  EXPECT_EQ(v, 35.0f);
  fs::remove(path);
}

TEST(NpyWriter, WholeArrayHelper) {
  const auto path = fs::temp_directory_path() / ("wdp-npy1-" + std::to_string(::getpid()) + ".npy");
  write_npy<std::int64_t>(path, {3}, {7, 8, 9});
  const auto info = read_npy_info(path);
  EXPECT_EQ(info.descr, "<i8");
  EXPECT_EQ(info.shape, (std::vector<std::size_t>{3}));
  EXPECT_EQ(fs::file_size(path), info.data_offset + 24);
  fs::remove(path);
}

TEST(ProgressBar, RendersFractionRateAndEta) {
  const auto line = ProgressBar::render("replay", 50, 100, 2.0);
  EXPECT_NE(line.find("replay ["), std::string::npos);
  EXPECT_NE(line.find(" 50.0%"), std::string::npos);
  EXPECT_NE(line.find("50/100"), std::string::npos);
  EXPECT_NE(line.find("25.0/s"), std::string::npos);
  EXPECT_NE(line.find("ETA 2s"), std::string::npos);
}

}  // namespace
}  // namespace wdp::recorder
