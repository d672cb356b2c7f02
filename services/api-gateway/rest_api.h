#pragma once
// The REST routes under /api/v1 (protobuf JSON of the gRPC messages), /healthz, CORS and the
// static dashboard. One table lists every route; the OpenAPI document must list them all too.
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "gateway_core.h"
#include "http_types.h"

namespace wdp::gateway {

struct RestOptions {
  std::string cors_origin;  // "" = no CORS headers; "*" or an origin
  std::filesystem::path web_root;
};

class RestApi {
 public:
  struct Params {
    const HttpRequest& req;
    std::vector<std::string> path;  // values of {placeholders}, in order
    const v1::ApiKey* key;          // null on public routes
  };
  struct Route {
    std::string method;
    std::string pattern;  // "/api/v1/keys/{key_id}"
    enum class Access { kPublic, kKey, kAdmin } access;
    bool blocking;  // waits on another service: run off the io threads
    std::function<HttpResponse(RestApi&, const Params&)> handler;
  };

  RestApi(GatewayCore& core, RestOptions options);

  HttpResponse handle(const HttpRequest& r);
  bool is_blocking(const HttpRequest& r) const;
  const std::vector<Route>& routes() const { return routes_; }

  // Route handlers (public so the table can name them).
  HttpResponse sensing_latest(const Params& p);
  HttpResponse poses_latest(const Params& p);
  HttpResponse events(const Params& p);

  GatewayCore& core() { return core_; }

 private:
  const Route* match(const HttpRequest& r, std::vector<std::string>& params, bool& path_known) const;
  void add_cors(const HttpRequest& r, HttpResponse& res) const;

  GatewayCore& core_;
  RestOptions options_;
  std::vector<Route> routes_;
  // Serialized latest answers, reused until the cache changes (the hottest route).
  struct Cached {
    std::uint64_t version = ~0ULL;
    std::string body;
  };
  std::mutex json_cache_mutex_;
  std::map<std::string, Cached> sensing_json_;
  std::map<std::string, Cached> pose_json_;
};

std::string openapi_document();  // the embedded openapi.json

}  // namespace wdp::gateway
