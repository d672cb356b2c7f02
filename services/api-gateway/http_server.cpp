#include "http_server.h"

#include <utility>  // Boost 1.74 asio misses this include under C++23

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <thread>
#include <vector>

#include "ws_upgrade.h"

namespace wdp::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
  HttpServerOptions options;
  Handler handler;
  BlockingPredicate blocking;
  UpgradeHandler* upgrades;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::thread_pool workers;
  std::vector<std::thread> threads;
  bool stopped = false;

  Impl(HttpServerOptions o, Handler h, BlockingPredicate b, UpgradeHandler* u)
      : options(std::move(o)), handler(std::move(h)), blocking(std::move(b)), upgrades(u),
        workers(static_cast<std::size_t>(std::max(1, options.worker_threads))) {}
  void accept();
};

namespace {

HttpRequest to_request(const http::request<http::string_body>& req, bool& ok) {
  HttpRequest r;
  r.method = std::string(req.method_string());
  const std::string_view target(req.target().data(), req.target().size());
  const auto q = target.find('?');
  ok = url_decode(target.substr(0, q), r.path, false);
  if (q != std::string_view::npos) ok = ok && parse_query(target.substr(q + 1), r.query);
  if (auto it = req.find(http::field::authorization); it != req.end()) r.authorization = std::string(it->value());
  if (auto it = req.find(http::field::origin); it != req.end()) r.origin = std::string(it->value());
  r.body = req.body();
  return r;
}

http::response<http::string_body> to_beast(HttpResponse&& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "wdp-api-gateway");
  res.set(http::field::content_type, r.content_type);
  res.set(http::field::cache_control, "no-store");
  for (auto& [k, v] : r.headers) res.set(k, v);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server) : stream_(std::move(socket)), server_(server) {}
  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    stream_.expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      if (ec == http::error::body_limit) {
        respond(HttpResponse{413, "application/json", R"({"error":{"code":413,"status":"PAYLOAD_TOO_LARGE","message":"request body too large"}})"}, 11, false);
        return;
      }
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    auto req = parser_->release();
    bool ok = true;
    auto parsed = to_request(req, ok);
    if (!ok) {
      respond(HttpResponse{400, "application/json", R"({"error":{"code":400,"status":"INVALID_ARGUMENT","message":"malformed URL escape"}})"}, req.version(), false);
      return;
    }
    if (beast::websocket::is_upgrade(req) && server_.upgrades) {
      if (auto refusal = server_.upgrades->check(parsed)) {
        respond(std::move(*refusal), req.version(), false);
        return;
      }
      stream_.expires_never();
      server_.upgrades->accept(std::move(stream_), std::move(req), parsed);
      return;
    }
    const auto version = req.version();
    const bool keep_alive = req.keep_alive();
    if (server_.blocking && server_.blocking(parsed)) {
      asio::post(server_.workers, [self = shared_from_this(), parsed = std::move(parsed), version, keep_alive]() mutable {
        auto res = self->server_.handler(parsed);
        asio::post(self->stream_.get_executor(), [self, res = std::move(res), version, keep_alive]() mutable {
          self->respond(std::move(res), version, keep_alive);
        });
      });
      return;
    }
    respond(server_.handler(parsed), version, keep_alive);
  }

  void respond(HttpResponse&& r, unsigned version, bool keep_alive) {
    res_ = to_beast(std::move(r), version, keep_alive);
    http::async_write(stream_, res_, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (!keep_alive) {
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        return;
      }
      self->read();
    });
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), *this)->start();
    }
    accept();
  });
}

HttpServer::HttpServer(HttpServerOptions options, Handler handler, BlockingPredicate blocking, UpgradeHandler* upgrades)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(blocking), upgrades)) {
  auto& i = *impl_;
  beast::error_code ec;
  const auto addr = asio::ip::make_address(i.options.address, ec);
  if (ec) throw std::runtime_error("invalid HTTP address " + i.options.address);
  const tcp::endpoint ep{addr, i.options.port};
  i.acceptor.open(ep.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(ep, ec);
  if (ec) {
    throw std::runtime_error("cannot listen for HTTP on " + i.options.address + ":" + std::to_string(i.options.port) +
                             ": " + ec.message());
  }
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  i.accept();
  for (int t = 0; t < std::max(1, i.options.threads); ++t) i.threads.emplace_back([&i] { i.io.run(); });
}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::stop() {
  auto& i = *impl_;
  if (i.stopped) return;
  i.stopped = true;
  asio::post(i.io, [&i] {
    beast::error_code ec;
    i.acceptor.close(ec);
  });
  i.io.stop();
  for (auto& t : i.threads) t.join();
  i.workers.join();
}

}  // namespace wdp::gateway
