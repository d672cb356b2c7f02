#include "wdp/admin/admin_server.h"

#include <gtest/gtest.h>

#include "wdp/testing/http_get.h"

namespace wdp::admin {
namespace {

namespace http = boost::beast::http;

std::pair<int, std::string> fetch(std::uint16_t port, http::verb verb, const std::string& target) {
  return wdp::testing::http_request(port, target, verb);
}

TEST(AdminServer, RoutesMethodsAndErrors) {
  AdminServer server("127.0.0.1", 0,
                     {{"/healthz", "GET", "health", [](const Request&) { return Response{200, "text/plain", "ok"}; }},
                      {"/echo", "POST", "echo", [](const Request& r) {
                         return Response{200, "text/plain", r.query.at("level")};
                       }},
                      {"/boom", "GET", "throws", [](const Request&) -> Response { throw std::runtime_error("kaput"); }}});
  const auto port = server.port();
  EXPECT_EQ(fetch(port, http::verb::get, "/healthz"), std::make_pair(200, std::string("ok")));
  EXPECT_EQ(fetch(port, http::verb::post, "/echo?level=de%62ug").second, "debug");
  EXPECT_EQ(fetch(port, http::verb::get, "/echo").first, 405);
  EXPECT_EQ(fetch(port, http::verb::get, "/nope").first, 404);
  const auto boom = fetch(port, http::verb::get, "/boom");
  EXPECT_EQ(boom.first, 500);
  EXPECT_NE(boom.second.find("kaput"), std::string::npos);
  EXPECT_NE(fetch(port, http::verb::get, "/help").second.find("/healthz"), std::string::npos);
}

TEST(AdminServer, PortClashFailsWithAClearMessage) {
  AdminServer first("127.0.0.1", 0, {});
  try {
    AdminServer second("127.0.0.1", first.port(), {});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(first.port())), std::string::npos);
  }
}

}  // namespace
}  // namespace wdp::admin
