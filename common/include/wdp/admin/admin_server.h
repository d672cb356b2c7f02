#pragma once
// The small admin HTTP endpoint every service serves on its own port (default 127.0.0.1).
// Routes are one table: path, method, help text, handler. GET /help and the 404 body list them.
// Runs on its own thread; handlers must therefore only read thread-safe state (atomics, metrics,
// values guarded by a mutex).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace wdp::admin {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // without the query string
  std::map<std::string, std::string> query;    // decoded ?a=b&c=d
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct Route {
  std::string path;
  std::string method;  // "GET" or "POST"; others answer 405
  std::string help;
  std::function<Response(const Request&)> handler;
};

class AdminServer {
 public:
  // Binds immediately (so a port clash fails at startup with a clear error); port 0 picks one.
  AdminServer(const std::string& address, std::uint16_t port, std::vector<Route> routes);
  ~AdminServer();  // stops and joins the thread
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  std::uint16_t port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wdp::admin
