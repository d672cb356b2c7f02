#pragma once
// What the HTTP server hands a WebSocket upgrade to. Beast types appear here only, so just the
// server and the hub include Beast.
#include <utility>  // Boost 1.74 asio misses this include under C++23

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>

#include "http_types.h"

namespace wdp::gateway {

class UpgradeHandler {
 public:
  virtual ~UpgradeHandler() = default;
  // nullopt: accept the upgrade; otherwise the HTTP answer to send instead (401, 404, ...).
  virtual std::optional<HttpResponse> check(const HttpRequest& req) = 0;
  virtual void accept(boost::beast::tcp_stream stream,
                      boost::beast::http::request<boost::beast::http::string_body> req, const HttpRequest& parsed) = 0;
};

}  // namespace wdp::gateway
