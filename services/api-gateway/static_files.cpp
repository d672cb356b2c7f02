#include "static_files.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace wdp::gateway {

std::string content_type_for(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".map", "application/json"}, {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"}, {".jpg", "image/jpeg"}, {".webp", "image/webp"}};
  const auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::optional<HttpResponse> serve_static(const std::filesystem::path& root, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) return std::nullopt;
  std::string rel = path == "/" ? "index.html" : path.substr(1);
  if (!rel.empty() && rel.back() == '/') rel += "index.html";
  for (const auto& seg : fs::path(rel)) {
    const auto s = seg.string();
    if (s == ".." || s == "." || (!s.empty() && s[0] == '.')) return std::nullopt;
  }
  std::error_code ec;
  const auto base = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  const auto file = fs::weakly_canonical(base / rel, ec);
  if (ec) return std::nullopt;
  // Symlinks may not lead out of the root either.
  const auto [b, f] = std::mismatch(base.begin(), base.end(), file.begin(), file.end());
  if (b != base.end() || !fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  return HttpResponse{200, content_type_for(file), body.str(), {}};
}

std::filesystem::path default_web_root() {
  if (const char* env = std::getenv("WDP_WEB_ROOT"); env && *env) return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "web";
  return exe.parent_path().parent_path() / "web";
}

}  // namespace wdp::gateway
