#pragma once
// Loads the pose model and reloads it when the file changes (size or modification time, polled by
// a background thread). A new model is fully built and self-checked before it replaces the old
// one by an atomic shared_ptr swap, so inference never sees a half-loaded model; a file that fails
// to load leaves the previous model serving (and is reported).
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "inference_backend.h"

namespace wdp::pose {

struct LoadedModel {
  std::unique_ptr<InferenceBackend> backend;
  std::filesystem::path path;
  double selfcheck_diff = -1;  // max |backend - torch| on the embedded self-check; < 0: none
};

// Throws std::runtime_error; rejects models whose self-check differs by more than max_diff.
std::shared_ptr<LoadedModel> load_model(const std::filesystem::path& path, double max_diff = 1e-3);

class ModelWatcher {
 public:
  using OnEvent = std::function<void(bool loaded, const std::string& message)>;
  ModelWatcher(std::filesystem::path path, std::chrono::milliseconds poll, OnEvent on_event);
  ~ModelWatcher();
  ModelWatcher(const ModelWatcher&) = delete;
  ModelWatcher& operator=(const ModelWatcher&) = delete;

  std::shared_ptr<LoadedModel> current() const { return model_.load(); }
  // Checks the file once now (the thread does this every poll period).
  void check();

 private:
  std::filesystem::path path_;
  std::chrono::milliseconds poll_;
  OnEvent on_event_;
  std::atomic<std::shared_ptr<LoadedModel>> model_;
  std::filesystem::file_time_type stamp_{};
  std::uintmax_t size_ = 0;
  bool tried_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace wdp::pose
