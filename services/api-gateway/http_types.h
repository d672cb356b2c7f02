#pragma once
// The gateway's HTTP request/response as the route handlers see them (no Beast types).
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace wdp::gateway {

struct HttpRequest {
  std::string method;                        // "GET", "POST", ...
  std::string path;                          // decoded, without the query string
  std::map<std::string, std::string> query;  // decoded; a repeated name keeps the last value
  std::string authorization;                 // Authorization header
  std::string origin;                        // Origin header (CORS)
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Splits "a=b&c=%20d" into decoded pairs. Returns false on a malformed %-escape.
bool parse_query(std::string_view query, std::map<std::string, std::string>& out);
// Decodes %XX and '+' (in queries). nullopt-like: returns false on a malformed escape.
bool url_decode(std::string_view in, std::string& out, bool plus_is_space);

}  // namespace wdp::gateway
