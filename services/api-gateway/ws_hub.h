#pragma once
// WebSocket streams: /ws/sensing (RuView `sensing_update`), /api/v1/stream/{sensing,pose,mat,events}
// (protobuf JSON), each with an optional ?node= filter and an API key (?access_token= or the
// Authorization header). A message is serialized once per bus message and shared by all clients.
// Every client has a bounded queue: when it is full the oldest unsent message is dropped and
// counted, so a slow client never stalls the bus thread or the other clients.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gateway_core.h"
#include "ws_upgrade.h"

namespace wdp::gateway {

struct WsOptions {
  std::size_t queue_limit = 64;         // messages per client
  std::string ruview_source = "esp32";  // `source` field of RuView sensing_update messages
};

struct WsStats {
  std::atomic<std::int64_t> clients{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> dropped{0};  // oldest messages dropped from full client queues
};

class WsHub final : public UpgradeHandler {
 public:
  enum class Channel { kRuviewSensing, kSensing, kPose, kMat, kEvents };

  WsHub(GatewayCore& core, WsOptions options);
  ~WsHub() override;

  std::optional<HttpResponse> check(const HttpRequest& req) override;
  void accept(boost::beast::tcp_stream stream, boost::beast::http::request<boost::beast::http::string_body> req,
              const HttpRequest& parsed) override;

  const WsStats& stats() const { return stats_; }
  const WsOptions& options() const { return options_; }

  class Session;
  void add(Channel ch, const std::shared_ptr<Session>& s);
  void remove(Channel ch, const Session* s);

 private:
  bool has_clients(Channel ch) const;
  void broadcast(Channel ch, const std::string& node_id, const std::shared_ptr<const std::string>& msg);

  GatewayCore& core_;
  WsOptions options_;
  WsStats stats_;
  mutable std::mutex mutex_;
  std::map<Channel, std::map<const Session*, std::weak_ptr<Session>>> clients_;
  std::atomic<int> counts_[5] = {};
  std::uint64_t sinks_[4] = {};
};

}  // namespace wdp::gateway
