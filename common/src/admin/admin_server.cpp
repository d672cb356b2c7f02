#include "wdp/admin/admin_server.h"

#include <utility>  // Boost 1.74 asio misses this include under C++23

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>

namespace wdp::admin {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Request to_request(const http::request<http::string_body>& req) {
  Request r;
  r.method = std::string(req.method_string());
  std::string_view target(req.target().data(), req.target().size());
  const auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view qs = target.substr(q + 1);
    while (!qs.empty()) {
      const auto amp = qs.find('&');
      std::string_view kv = qs.substr(0, amp);
      const auto eq = kv.find('=');
      try {
        r.query[url_decode(kv.substr(0, eq))] =
            eq == std::string_view::npos ? "" : url_decode(kv.substr(eq + 1));
      } catch (const std::exception&) {
        // A malformed escape leaves that parameter out; the handler reports it missing.
      }
      if (amp == std::string_view::npos) break;
      qs.remove_prefix(amp + 1);
    }
  }
  r.body = req.body();
  return r;
}

Response json_error(int status, const std::string& message) {
  return Response{status, "application/json", nlohmann::json{{"error", message}}.dump() + "\n"};
}

}  // namespace

struct AdminServer::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<Route> routes;
  std::thread thread;
  std::uint16_t port = 0;

  Response dispatch(const Request& req) {
    if (req.path == "/help" || req.path == "/") {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& r : routes) j.push_back({{"path", r.path}, {"method", r.method}, {"help", r.help}});
      return Response{200, "application/json", j.dump(2) + "\n"};
    }
    for (const auto& r : routes) {
      if (r.path != req.path) continue;
      if (r.method != req.method) return json_error(405, r.path + " takes " + r.method);
      try {
        return r.handler(req);
      } catch (const std::exception& e) {
        return json_error(500, e.what());
      }
    }
    return json_error(404, "no route " + req.path + "; GET /help lists the routes");
  }

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // acceptor closed: stopping
      serve(std::move(socket));
      accept();
    });
  }

  // One request per connection, read and answered within a deadline so a stuck client cannot
  // hold the admin port.
  void serve(tcp::socket socket) {
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    auto buffer = std::make_shared<beast::flat_buffer>();
    auto req = std::make_shared<http::request<http::string_body>>();
    stream->expires_after(std::chrono::seconds(5));
    http::async_read(*stream, *buffer, *req, [this, stream, buffer, req](beast::error_code ec, std::size_t) {
      if (ec) return;
      Response r = dispatch(to_request(*req));
      auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), req->version());
      res->set(http::field::content_type, r.content_type);
      res->set(http::field::cache_control, "no-store");
      res->keep_alive(false);
      res->body() = std::move(r.body);
      res->prepare_payload();
      http::async_write(*stream, *res, [stream, res](beast::error_code, std::size_t) {
        beast::error_code ignored;
        stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      });
    });
  }
};

AdminServer::AdminServer(const std::string& address, std::uint16_t port, std::vector<Route> routes)
    : impl_(std::make_unique<Impl>()) {
  impl_->routes = std::move(routes);
  tcp::endpoint ep(asio::ip::make_address(address), port);
  try {
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen();
  } catch (const std::exception& e) {
    throw std::runtime_error("admin server cannot listen on " + address + ":" + std::to_string(port) + ": " + e.what());
  }
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

AdminServer::~AdminServer() { stop(); }

std::uint16_t AdminServer::port() const { return impl_->port; }

void AdminServer::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->io.stop();
  impl_->thread.join();
}

}  // namespace wdp::admin
