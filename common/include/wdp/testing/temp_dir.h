#pragma once
// An empty directory of its own for the running GoogleTest test: <tmp>/<prefix>-<pid>-<test name>,
// removed first if a killed earlier run left it behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace wdp::testing {

inline std::filesystem::path fresh_test_dir(const std::string& prefix) {
  const auto dir = std::filesystem::temp_directory_path() /
                   (prefix + "-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace wdp::testing
