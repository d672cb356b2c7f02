#pragma once
// Where tests find the third-party CSI captures: $CSI_TEST_DATA_DIR, else ../shared/data/csi
// relative to the project root (ctest runs tests from there). The captures are never copied into
// this repository. A missing folder is a test failure that names the path tried, never a silent pass.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace wdp::testing {

inline std::filesystem::path csi_test_data_dir() {
  const char* env = std::getenv("CSI_TEST_DATA_DIR");
  return env && *env ? std::filesystem::path(env) : std::filesystem::path("../shared/data/csi");
}

// The path of one capture; records a fatal failure naming the path if it is missing.
inline std::filesystem::path csi_test_file(const std::string& name) {
  const auto p = csi_test_data_dir() / name;
  if (!std::filesystem::exists(p)) {
    ADD_FAILURE() << "CSI test capture not found: " << std::filesystem::absolute(p)
                  << " (set CSI_TEST_DATA_DIR or check out ../shared next to the project)";
  }
  return p;
}

}  // namespace wdp::testing
