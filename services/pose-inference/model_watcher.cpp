#include "model_watcher.h"

#include <cstdio>

#include "onnx_metadata.h"
#include "opencv_backend.h"
#include "selfcheck.h"

namespace wdp::pose {

std::shared_ptr<LoadedModel> load_model(const std::filesystem::path& path, double max_diff) {
  auto m = std::make_shared<LoadedModel>();
  m->path = path;
  m->backend = make_opencv_backend(path);
  const auto md = read_onnx_metadata(path);
  if (md.contains(kSelfcheckKey)) {
    m->selfcheck_diff = selfcheck_max_abs_diff(*m->backend, md);
    if (m->selfcheck_diff > max_diff) {
      char buf[160];
      std::snprintf(buf, sizeof buf, ": backend output differs from torch by %.3g (> %.3g) on the self-check",
                    m->selfcheck_diff, max_diff);
      throw std::runtime_error(path.string() + buf);
    }
  }
  return m;
}

ModelWatcher::ModelWatcher(std::filesystem::path path, std::chrono::milliseconds poll, OnEvent on_event)
    : path_(std::move(path)), poll_(poll), on_event_(std::move(on_event)) {
  check();
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      for (auto waited = std::chrono::milliseconds(0); waited < poll_ && !stop_.load(); waited += std::chrono::milliseconds(50))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!stop_.load()) check();
    }
  });
}

ModelWatcher::~ModelWatcher() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void ModelWatcher::check() {
  std::error_code ec;
  const auto stamp = std::filesystem::last_write_time(path_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path_, ec);
  if (ec) {
    if (!tried_) on_event_(false, path_.string() + ": " + ec.message());
    tried_ = true;
    return;
  }
  if (tried_ && stamp == stamp_ && size == size_) return;
  tried_ = true;
  stamp_ = stamp;
  size_ = size;
  try {
    auto m = load_model(path_);
    const std::string version = m->backend->contract().model_version;
    model_.store(std::move(m));
    on_event_(true, "loaded " + path_.string() + " version " + version);
  } catch (const std::exception& e) {
    on_event_(false, e.what());
  }
}

}  // namespace wdp::pose
