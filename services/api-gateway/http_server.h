#pragma once
// The gateway's own HTTP/1.1 server (Boost.Beast, keep-alive, N io threads). Plain requests go to
// the route handler; handlers that may wait (commands to other services) run on a small worker
// pool so they never stall the io threads. WebSocket upgrades are handed to the upgrade handler
// together with their socket.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http_types.h"

namespace wdp::gateway {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks one
  int threads = 2;
  int worker_threads = 4;
  std::size_t body_limit = 1 << 20;
};

class UpgradeHandler;  // ws_hub.h

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  using BlockingPredicate = std::function<bool(const HttpRequest&)>;

  // Binds immediately (a port clash throws with a clear message) and starts the threads.
  HttpServer(HttpServerOptions options, Handler handler, BlockingPredicate blocking, UpgradeHandler* upgrades);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace wdp::gateway
