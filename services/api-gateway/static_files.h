#pragma once
// The dashboard's static files: GET / is index.html, other paths map under the web root. Paths
// with ".." segments, hidden files or anything resolving outside the root are refused.
#include <filesystem>
#include <optional>
#include <string>

#include "http_types.h"

namespace wdp::gateway {

// nullopt when no such file (the caller answers 404).
std::optional<HttpResponse> serve_static(const std::filesystem::path& root, const std::string& path);
std::string content_type_for(const std::filesystem::path& file);
// --web-root default: env WDP_WEB_ROOT, else <dir of this executable>/../web.
std::filesystem::path default_web_root();

}  // namespace wdp::gateway
