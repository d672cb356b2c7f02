#include "rest_api.h"

#include <charconv>

#include "event_query.h"
#include "json_codec.h"
#include "rest_errors.h"
#include "static_files.h"

namespace wdp::gateway {
namespace {

using Access = RestApi::Route::Access;
using Params = RestApi::Params;

HttpResponse ok_json(const google::protobuf::Message& m, int status = 200) {
  return HttpResponse{status, "application/json", to_json(m) + "\n", {}};
}

template <class T>
HttpResponse result_json(const Result<T>& r) {
  return r ? ok_json(*r) : api_error_response(r.error());
}

std::string q(const HttpRequest& r, const char* name) {
  const auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

std::vector<std::string> split_csv(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    const auto comma = s.find(',', start);
    auto part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Parses a JSON body into `m`; an empty body is an empty message.
std::optional<HttpResponse> parse_body(const HttpRequest& r, google::protobuf::Message& m) {
  if (r.body.empty()) return std::nullopt;
  const auto err = from_json(r.body, m);
  if (!err.empty()) return error_response(400, "invalid JSON body: " + err);
  return std::nullopt;
}

HttpResponse mat_action(RestApi& api, const Params& p, v1::MatCommand c) {
  auto r = api.core().send_mat_command(std::move(c), p.key ? p.key->name() : std::string());
  if (!r) return api_error_response(r.error());
  return ok_json(*r, r->ok() ? 200 : 409);
}

std::vector<RestApi::Route> make_routes() {
  std::vector<RestApi::Route> t;
  auto add = [&](const char* m, const char* path, Access a, bool blocking, auto fn) {
    t.push_back({m, path, a, blocking, fn});
  };
  add("GET", "/healthz", Access::kPublic, false,
      [](RestApi&, const Params&) { return HttpResponse{200, "application/json", "{\"status\":\"ok\"}\n", {}}; });
  add("GET", "/api/v1/openapi.json", Access::kKey, false,
      [](RestApi&, const Params&) { return HttpResponse{200, "application/json", openapi_document(), {}}; });
  add("GET", "/api/v1/status", Access::kKey, false,
      [](RestApi& a, const Params&) { return ok_json(a.core().status()); });
  add("GET", "/api/v1/nodes", Access::kKey, false, [](RestApi& a, const Params&) { return ok_json(a.core().nodes()); });
  add("GET", "/api/v1/sensing/latest", Access::kKey, false, [](RestApi& a, const Params& p) { return a.sensing_latest(p); });
  add("GET", "/api/v1/poses/latest", Access::kKey, false, [](RestApi& a, const Params& p) { return a.poses_latest(p); });
  add("GET", "/api/v1/events", Access::kKey, false, [](RestApi& a, const Params& p) { return a.events(p); });
  add("GET", "/api/v1/mat/zones", Access::kKey, false, [](RestApi& a, const Params&) { return ok_json(a.core().mat().zones()); });
  add("GET", "/api/v1/mat/survivors", Access::kKey, false,
      [](RestApi& a, const Params& p) { return ok_json(a.core().mat().survivors(q(p.req, "zone"))); });
  add("GET", "/api/v1/mat/alerts", Access::kKey, false, [](RestApi& a, const Params& p) {
    const auto open = q(p.req, "open_only");
    return ok_json(a.core().mat().alerts(open == "true" || open == "1"));
  });
  add("GET", "/api/v1/mat/events", Access::kKey, false,
      [](RestApi& a, const Params&) { return ok_json(a.core().mat().disaster_events()); });
  add("POST", "/api/v1/mat/commands", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    if (auto e = parse_body(p.req, c)) return *e;
    return mat_action(a, p, std::move(c));
  });
  add("POST", "/api/v1/mat/events", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    if (auto e = parse_body(p.req, *c.mutable_create_event())) return *e;
    return mat_action(a, p, std::move(c));
  });
  add("POST", "/api/v1/mat/events/{event_id}/close", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    c.set_close_event_id(p.path[0]);
    return mat_action(a, p, std::move(c));
  });
  add("POST", "/api/v1/mat/zones", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    if (auto e = parse_body(p.req, *c.mutable_upsert_zone())) return *e;
    return mat_action(a, p, std::move(c));
  });
  add("DELETE", "/api/v1/mat/zones/{zone_id}", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    c.set_delete_zone_id(p.path[0]);
    return mat_action(a, p, std::move(c));
  });
  add("POST", "/api/v1/mat/alerts/{alert_id}/acknowledge", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    c.set_acknowledge_alert_id(p.path[0]);
    return mat_action(a, p, std::move(c));
  });
  // Short alias the dashboard uses.
  add("POST", "/api/v1/mat/alerts/{alert_id}/ack", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    c.set_acknowledge_alert_id(p.path[0]);
    return mat_action(a, p, std::move(c));
  });
  add("POST", "/api/v1/mat/alerts/{alert_id}/resolve", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    c.set_resolve_alert_id(p.path[0]);
    return mat_action(a, p, std::move(c));
  });
  add("POST", "/api/v1/mat/survivors/{survivor_id}/rescued", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::MatCommand c;
    c.set_mark_rescued_survivor_id(p.path[0]);
    return mat_action(a, p, std::move(c));
  });
  add("GET", "/api/v1/recordings", Access::kKey, false,
      [](RestApi& a, const Params&) { return ok_json(a.core().recordings()); });
  add("POST", "/api/v1/recordings/start", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::StartRecordingRequest r;
    if (auto e = parse_body(p.req, r)) return *e;
    auto res = a.core().start_recording(r);
    return res ? ok_json(*res, 201) : api_error_response(res.error());
  });
  add("POST", "/api/v1/recordings/stop", Access::kKey, true, [](RestApi& a, const Params& p) {
    v1::StopRecordingRequest r;
    if (auto e = parse_body(p.req, r)) return *e;
    return result_json(a.core().stop_recording(r));
  });
  add("GET", "/api/v1/keys", Access::kAdmin, false, [](RestApi& a, const Params&) {
    v1::ListApiKeysResponse r;
    for (auto& k : a.core().keys().list()) *r.add_keys() = std::move(k);
    return ok_json(r);
  });
  add("POST", "/api/v1/keys", Access::kAdmin, false, [](RestApi& a, const Params& p) {
    v1::CreateApiKeyRequest r;
    if (auto e = parse_body(p.req, r)) return *e;
    try {
      return ok_json(a.core().keys().create(r.name(), r.admin()), 201);
    } catch (const std::invalid_argument& ex) {
      return error_response(400, ex.what());
    }
  });
  add("DELETE", "/api/v1/keys/{key_id}", Access::kAdmin, false, [](RestApi& a, const Params& p) {
    auto k = a.core().keys().revoke(p.path[0]);
    return k ? ok_json(*k) : error_response(404, "no valid key with id " + p.path[0]);
  });
  return t;
}

bool match_pattern(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto ps = pattern.substr(0, pattern.find('/'));
    const auto xs = path.substr(0, path.find('/'));
    if (ps.size() > 1 && ps.front() == '{' && ps.back() == '}') {
      if (xs.empty()) return false;
      params.emplace_back(xs);
    } else if (ps != xs) {
      return false;
    }
    pattern.remove_prefix(ps.size());
    path.remove_prefix(xs.size());
  }
  return true;
}

}  // namespace

RestApi::RestApi(GatewayCore& core, RestOptions options)
    : core_(core), options_(std::move(options)), routes_(make_routes()) {}

const RestApi::Route* RestApi::match(const HttpRequest& r, std::vector<std::string>& params, bool& path_known) const {
  path_known = false;
  for (const auto& route : routes_) {
    if (!match_pattern(route.pattern, r.path, params)) continue;
    path_known = true;
    if (route.method == r.method || (r.method == "HEAD" && route.method == "GET")) return &route;
  }
  return nullptr;
}

bool RestApi::is_blocking(const HttpRequest& r) const {
  std::vector<std::string> params;
  bool known;
  const auto* route = match(r, params, known);
  return route && route->blocking;
}

void RestApi::add_cors(const HttpRequest& r, HttpResponse& res) const {
  if (options_.cors_origin.empty()) return;
  if (options_.cors_origin == "*") {
    res.headers.emplace_back("Access-Control-Allow-Origin", "*");
  } else if (r.origin == options_.cors_origin) {
    res.headers.emplace_back("Access-Control-Allow-Origin", r.origin);
    res.headers.emplace_back("Vary", "Origin");
  }
}

HttpResponse RestApi::handle(const HttpRequest& r) {
  HttpResponse res;
  std::vector<std::string> params;
  bool known = false;
  const Route* route = match(r, params, known);
  if (r.method == "OPTIONS" && !options_.cors_origin.empty()) {
    // CORS preflight: browsers send it without credentials.
    res = HttpResponse{204, "text/plain", "", {}};
    res.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    res.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
    res.headers.emplace_back("Access-Control-Max-Age", "600");
  } else if (route) {
    std::optional<v1::ApiKey> key;
    AuthResult a{AuthOutcome::kOk, std::nullopt, {}};
    if (route->access != Access::kPublic) {
      const auto it = r.query.find("access_token");
      a = core_.auth().check(r.authorization, it == r.query.end() ? std::string_view{} : it->second,
                             route->access == Access::kAdmin);
    }
    if (a.outcome != AuthOutcome::kOk) {
      res = auth_error_response(a);
    } else {
      try {
        res = route->handler(*this, Params{r, std::move(params), a.key ? &*a.key : nullptr});
      } catch (const std::exception& ex) {
        res = error_response(500, ex.what());
      }
    }
  } else if (known) {
    res = error_response(405, "method " + r.method + " not allowed on " + r.path);
  } else if (r.path.starts_with("/api/") || r.path.starts_with("/ws/") || (r.method != "GET" && r.method != "HEAD")) {
    res = error_response(404, "no route " + r.method + " " + r.path);
  } else if (auto file = serve_static(options_.web_root, r.path)) {
    res = std::move(*file);
  } else {
    res = error_response(404, "no such file " + r.path);
  }
  if (r.method == "HEAD") res.body.clear();
  add_cors(r, res);
  return res;
}

HttpResponse RestApi::sensing_latest(const Params& p) {
  const auto node = q(p.req, "node");
  const auto version = core_.cache().sensing_version();
  {
    std::lock_guard lock(json_cache_mutex_);
    auto it = sensing_json_.find(node);
    if (it != sensing_json_.end() && it->second.version == version) return {200, "application/json", it->second.body, {}};
  }
  v1::GetLatestSensingResponse r;
  for (auto& u : core_.cache().latest_sensing(node)) *r.add_updates() = std::move(u);
  auto body = to_json(r) + "\n";
  std::lock_guard lock(json_cache_mutex_);
  if (sensing_json_.size() > 1024) sensing_json_.clear();  // bounded: node values come from clients
  sensing_json_[node] = Cached{version, body};
  return {200, "application/json", std::move(body), {}};
}

HttpResponse RestApi::poses_latest(const Params& p) {
  const auto node = q(p.req, "node");
  const auto version = core_.cache().pose_version();
  {
    std::lock_guard lock(json_cache_mutex_);
    auto it = pose_json_.find(node);
    if (it != pose_json_.end() && it->second.version == version) return {200, "application/json", it->second.body, {}};
  }
  v1::GetLatestPosesResponse r;
  for (auto& f : core_.cache().latest_poses(node)) *r.add_frames() = std::move(f);
  auto body = to_json(r) + "\n";
  std::lock_guard lock(json_cache_mutex_);
  if (pose_json_.size() > 1024) pose_json_.clear();
  pose_json_[node] = Cached{version, body};
  return {200, "application/json", std::move(body), {}};
}

HttpResponse RestApi::events(const Params& p) {
  v1::ListEventsRequest r;
  for (const auto& [name, field] : {std::pair{"since", 0}, std::pair{"until", 1}}) {
    const auto v = q(p.req, name);
    if (v.empty()) continue;
    const auto t = parse_time_ns(v);
    if (!t) return error_response(400, std::string(name) + " must be RFC 3339 or ns since the epoch: " + v);
    field == 0 ? r.set_since_ns(*t) : r.set_until_ns(*t);
  }
  if (const auto v = q(p.req, "limit"); !v.empty()) {
    unsigned limit = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
    if (ec != std::errc() || ptr != v.data() + v.size() || limit == 0) return error_response(400, "limit must be 1..1000");
    r.set_limit(limit);
  }
  r.set_page_token(q(p.req, "page_token"));
  for (auto& n : split_csv(q(p.req, "node"))) r.add_node_ids(n);
  for (auto& k : split_csv(q(p.req, "kind"))) {
    v1::EventKind kind;
    std::string upper;
    for (char c : k) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (!v1::EventKind_Parse(upper, &kind) && !v1::EventKind_Parse("EVENT_KIND_" + upper, &kind)) {
      return error_response(400, "unknown event kind " + k);
    }
    r.add_kinds(kind);
  }
  return result_json(core_.list_events(r));
}

}  // namespace wdp::gateway
