#pragma once
// Blocking HTTP and WebSocket clients for the gateway tests (loopback only, bounded by timeouts).
#include <utility>  // Boost 1.74 asio misses this include under C++23

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <map>
#include <string>

namespace wdp::gateway::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

inline HttpResult http(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& key = "", const std::string& body = "",
                       const std::map<std::string, std::string>& extra = {}) {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  HttpResult out;
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!key.empty()) req.set(bhttp::field::authorization, "Bearer " + key);
    for (const auto& [k, v] : extra) req.set(k, v);
    if (!body.empty()) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    bhttp::write(stream, req);
    beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buf, res);
    out.status = res.result_int();
    out.body = res.body();
    for (const auto& f : res) out.headers[std::string(f.name_string())] = std::string(f.value());
  } catch (const std::exception&) {
    out.status = 0;
  }
  return out;
}

// A WebSocket client; read() returns "" on timeout or close.
class WsClient {
 public:
  // Throws when the handshake is refused (e.g. 401).
  WsClient(std::uint16_t port, const std::string& target) : ws_(io_) {
    auto& s = boost::beast::get_lowest_layer(ws_);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    s.expires_after(std::chrono::seconds(5));
    ws_.handshake("127.0.0.1", target);
    s.expires_never();
  }
  std::string read(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto& s = boost::beast::get_lowest_layer(ws_);
    s.expires_after(timeout);
    boost::beast::flat_buffer buf;
    boost::beast::error_code ec;
    ws_.read(buf, ec);
    if (ec) return {};
    return boost::beast::buffers_to_string(buf.data());
  }
  boost::beast::tcp_stream& lowest() { return boost::beast::get_lowest_layer(ws_); }

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
};

}  // namespace wdp::gateway::testing
