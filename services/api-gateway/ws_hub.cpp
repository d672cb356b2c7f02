#include "ws_hub.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <vector>

#include "json_codec.h"
#include "rest_errors.h"

namespace wdp::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;

namespace {

std::optional<WsHub::Channel> channel_of(const std::string& path) {
  if (path == "/ws/sensing") return WsHub::Channel::kRuviewSensing;
  if (path == "/api/v1/stream/sensing") return WsHub::Channel::kSensing;
  if (path == "/api/v1/stream/pose") return WsHub::Channel::kPose;
  if (path == "/api/v1/stream/mat") return WsHub::Channel::kMat;
  if (path == "/api/v1/stream/events") return WsHub::Channel::kEvents;
  return std::nullopt;
}

std::string query_value(const HttpRequest& r, const char* name) {
  const auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

}  // namespace

class WsHub::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(WsHub& hub, Channel ch, std::string node, beast::tcp_stream&& stream)
      : hub_(hub), channel_(ch), node_(std::move(node)), ws_(std::move(stream)) {}
  ~Session() {
    if (registered_) hub_.remove(channel_, this);
  }

  const std::string& node() const { return node_; }

  void start(http::request<http::string_body> req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "wdp-api-gateway"); }));
    ws_.text(true);
    req_ = std::move(req);
    ws_.async_accept(req_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->registered_ = true;
      self->hub_.add(self->channel_, self);
      self->read();
    });
  }

  // From the bus thread: queue on this client's strand.
  void enqueue(std::shared_ptr<const std::string> msg) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), msg = std::move(msg)]() mutable {
      self->queue_.push_back(std::move(msg));
      if (self->queue_.size() > self->hub_.options().queue_limit) {
        // Never the message being written (front while writing_).
        self->queue_.erase(self->queue_.begin() + (self->writing_ ? 1 : 0));
        self->hub_.stats_.dropped.fetch_add(1, std::memory_order_relaxed);
      }
      if (!self->writing_ && !self->closed_) self->write();
    });
  }

 private:
  void read() {
    // Client messages are not needed (RuView pings included); reading handles close and pings.
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->closed_ = true;
        return;
      }
      self->in_.consume(self->in_.size());
      self->read();
    });
  }

  void write() {
    writing_ = true;
    ws_.async_write(asio::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->queue_.pop_front();
      if (ec) {
        self->closed_ = true;
        self->writing_ = false;
        self->queue_.clear();
        return;
      }
      self->hub_.stats_.sent.fetch_add(1, std::memory_order_relaxed);
      if (!self->queue_.empty() && !self->closed_) {
        self->write();
      } else {
        self->writing_ = false;
      }
    });
  }

  friend class WsHub;
  WsHub& hub_;
  Channel channel_;
  std::string node_;
  websocket::stream<beast::tcp_stream> ws_;
  http::request<http::string_body> req_;
  beast::flat_buffer in_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool writing_ = false;
  bool closed_ = false;
  bool registered_ = false;
};

WsHub::WsHub(GatewayCore& core, WsOptions options) : core_(core), options_(std::move(options)) {
  sinks_[0] = core_.sensing_fanout().add([this](const Fanout<v1::SensingUpdate>::Ptr& u) {
    const auto& node = u->origin().node_id();
    if (has_clients(Channel::kRuviewSensing)) {
      broadcast(Channel::kRuviewSensing, node,
                std::make_shared<const std::string>(ruview_sensing_update(*u, options_.ruview_source)));
    }
    if (has_clients(Channel::kSensing)) broadcast(Channel::kSensing, node, std::make_shared<const std::string>(to_json(*u)));
  });
  sinks_[1] = core_.pose_fanout().add([this](const Fanout<v1::PoseFrame>::Ptr& f) {
    if (has_clients(Channel::kPose)) {
      broadcast(Channel::kPose, f->origin().node_id(), std::make_shared<const std::string>(to_json(*f)));
    }
  });
  sinks_[2] = core_.mat_fanout().add([this](const Fanout<v1::MatEvent>::Ptr& m) {
    if (has_clients(Channel::kMat)) {
      broadcast(Channel::kMat, m->origin().node_id(), std::make_shared<const std::string>(to_json(*m)));
    }
  });
  sinks_[3] = core_.event_fanout().add([this](const Fanout<v1::Event>::Ptr& e) {
    if (has_clients(Channel::kEvents)) {
      broadcast(Channel::kEvents, e->node_id(), std::make_shared<const std::string>(to_json(*e)));
    }
  });
}

WsHub::~WsHub() {
  core_.sensing_fanout().remove(sinks_[0]);
  core_.pose_fanout().remove(sinks_[1]);
  core_.mat_fanout().remove(sinks_[2]);
  core_.event_fanout().remove(sinks_[3]);
}

std::optional<HttpResponse> WsHub::check(const HttpRequest& req) {
  if (!channel_of(req.path)) return error_response(404, "no WebSocket stream at " + req.path);
  const auto a = core_.auth().check(req.authorization, query_value(req, "access_token"), false);
  if (a.outcome != AuthOutcome::kOk) return auth_error_response(a);
  return std::nullopt;
}

void WsHub::accept(beast::tcp_stream stream, http::request<http::string_body> req, const HttpRequest& parsed) {
  const auto ch = *channel_of(parsed.path);
  auto s = std::make_shared<Session>(*this, ch, query_value(parsed, "node"), std::move(stream));
  stats_.accepted.fetch_add(1, std::memory_order_relaxed);
  s->start(std::move(req));
}

void WsHub::add(Channel ch, const std::shared_ptr<Session>& s) {
  std::lock_guard lock(mutex_);
  clients_[ch][s.get()] = s;
  counts_[static_cast<int>(ch)].store(static_cast<int>(clients_[ch].size()), std::memory_order_relaxed);
  stats_.clients.fetch_add(1, std::memory_order_relaxed);
}

void WsHub::remove(Channel ch, const Session* s) {
  std::lock_guard lock(mutex_);
  if (clients_[ch].erase(s)) stats_.clients.fetch_sub(1, std::memory_order_relaxed);
  counts_[static_cast<int>(ch)].store(static_cast<int>(clients_[ch].size()), std::memory_order_relaxed);
}

bool WsHub::has_clients(Channel ch) const { return counts_[static_cast<int>(ch)].load(std::memory_order_relaxed) > 0; }

void WsHub::broadcast(Channel ch, const std::string& node_id, const std::shared_ptr<const std::string>& msg) {
  // Locked only to collect: a session released here may run its destructor, which locks too.
  std::vector<std::shared_ptr<Session>> targets;
  {
    std::lock_guard lock(mutex_);
    targets.reserve(clients_[ch].size());
    for (auto& [ptr, weak] : clients_[ch]) {
      if (auto s = weak.lock(); s && (s->node().empty() || s->node() == node_id)) targets.push_back(std::move(s));
    }
  }
  for (auto& s : targets) s->enqueue(msg);
}

}  // namespace wdp::gateway
