#pragma once
// A blocking HTTP/1.1 request to 127.0.0.1 for tests. Returns {status, body}; status 0 when the
// connection failed (nothing listening yet).
#include <utility>  // Boost 1.74 asio misses this include under C++23

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <string>
#include <thread>

namespace wdp::testing {

inline std::pair<int, std::string> http_request(std::uint16_t port, const std::string& target,
                                                boost::beast::http::verb verb = boost::beast::http::verb::get) {
  namespace http = boost::beast::http;
  try {
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(5));
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream, req);
    boost::beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    return {res.result_int(), res.body()};
  } catch (const std::exception&) {
    return {0, {}};
  }
}

// Polls GET `path` until it answers 200 (true) or `timeout` passes (false): a started process is
// usable once its admin port says so.
inline bool wait_http_ok(std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (http_request(port, path).first == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace wdp::testing
