#include "ingest/byte_source.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

namespace wdp::ingest {
namespace {

using namespace std::chrono_literals;

std::string drain(ByteSource& s, std::chrono::milliseconds budget, std::size_t want = SIZE_MAX) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + budget;
  std::span<const std::byte> chunk;
  while (std::chrono::steady_clock::now() < deadline && got.size() < want) {
    const auto st = s.read(20ms, chunk);
    if (st == ByteSource::Status::end) break;
    if (st == ByteSource::Status::data) got.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  }
  return got;
}

TEST(ByteSource, ParsesSpecs) {
  EXPECT_EQ(parse_byte_source("capture.dat").path, "capture.dat");
  EXPECT_EQ(parse_byte_source("file:x").kind, ByteSourceSpec::Kind::file);
  EXPECT_EQ(parse_byte_source("stdin").kind, ByteSourceSpec::Kind::stdin_stream);
  const auto s = parse_byte_source("serial:/dev/ttyUSB0@921600");
  EXPECT_EQ(s.path, "/dev/ttyUSB0");
  EXPECT_EQ(s.baud, 921600u);
  EXPECT_EQ(parse_byte_source("serial:/dev/ttyACM0").baud, 115200u);
  const auto t = parse_byte_source("tcp:127.0.0.1:3333");
  EXPECT_EQ(t.host, "127.0.0.1");
  EXPECT_EQ(t.port, 3333u);
  EXPECT_THROW(parse_byte_source("serial:/dev/x@12345"), std::invalid_argument);
  EXPECT_THROW(parse_byte_source("tcp:host"), std::invalid_argument);
  EXPECT_THROW(parse_byte_source("tcp:host:99999"), std::invalid_argument);
}

TEST(ByteSource, ReadsAFileToItsEnd) {
  const auto path = std::filesystem::temp_directory_path() / "wdp_byte_source_test.bin";
  std::string content(200'000, 'x');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7);
  std::ofstream(path, std::ios::binary) << content;
  ByteSource s(parse_byte_source(path.string()));
  EXPECT_EQ(drain(s, 5s), content);
  std::filesystem::remove(path);
  EXPECT_THROW(ByteSource(parse_byte_source("/nonexistent/file")), std::runtime_error);
}

TEST(ByteSource, TcpReconnectsAfterThePeerCloses) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  socklen_t len = sizeof(a);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
  ::listen(listener, 4);
  ByteSource s(parse_byte_source("tcp:127.0.0.1:" + std::to_string(ntohs(a.sin_port))));
  std::thread server([&] {
    for (const char* msg : {"first ", "second"}) {
      const int c = ::accept(listener, nullptr, nullptr);
      ::write(c, msg, std::strlen(msg));
      ::close(c);  // peer goes away; the source must reconnect
    }
  });
  const std::string got = drain(s, 5s, 12);
  server.join();
  ::close(listener);
  EXPECT_EQ(got, "first second");
  EXPECT_GE(s.reconnects(), 2u);  // two connections served (a third may wait in the backlog)
}

}  // namespace
}  // namespace wdp::ingest
