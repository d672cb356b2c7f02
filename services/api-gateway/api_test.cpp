// The HTTP, WebSocket and gRPC faces of the gateway in one process, on loopback ports: every
// route and RPC needs a key (401/403/404/405/429 paths), REST JSON equals the gRPC answer,
// paging, operator actions against fake recorder / mat-detector responders, streams, static files.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "gateway_core.h"
#include "grpc_service.h"
#include "http_server.h"
#include "json_codec.h"
#include "rest_api.h"
#include "test_clients.h"
#include "wdp/bus/topics.h"
#include "ws_hub.h"

namespace wdp::gateway {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::http;
using testing::WsClient;
using google::protobuf::util::MessageDifferencer;
constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max() / 2;

class ApiTest : public ::testing::Test {
 protected:
  // Test data uses small timestamps: retention must not delete it.
  virtual CoreOptions core_options() { return {.retention_ns = kForever, .rate_limit_per_s = 0}; }
  virtual std::string cors() { return ""; }
  virtual std::size_t ws_queue() { return 64; }

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gw-api-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "web" / "js");
    std::ofstream(dir_ / "web" / "index.html") << "<html>dashboard</html>";
    std::ofstream(dir_ / "web" / "js" / "app.js") << "console.log(1)";
    std::ofstream(dir_ / "secret.txt") << "outside the web root";
    auto o = core_options();
    o.db_path = (dir_ / "gw.db").string();
    o.command_timeout = 2s;
    core_ = std::make_unique<GatewayCore>(o, [this](std::string_view topic, const google::protobuf::MessageLite& m) {
      return fake_bus(topic, m);
    });
    admin_ = core_->keys().create("admin", true).secret();
    user_ = core_->keys().create("user", false).secret();
    hub_ = std::make_unique<WsHub>(*core_, WsOptions{.queue_limit = ws_queue(), .ruview_source = "esp32"});
    rest_ = std::make_unique<RestApi>(*core_, RestOptions{.cors_origin = cors(), .web_root = dir_ / "web"});
    http_ = std::make_unique<HttpServer>(HttpServerOptions{.port = 0}, [this](const HttpRequest& r) { return rest_->handle(r); },
                                         [this](const HttpRequest& r) { return rest_->is_blocking(r); }, hub_.get());
    port_ = http_->port();
    grpc_service_ = std::make_unique<GatewayGrpcService>(*core_);
    grpc::ServerBuilder b;
    int gport = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &gport);
    b.RegisterService(grpc_service_.get());
    grpc_ = b.BuildAndStart();
    ASSERT_TRUE(grpc_);
    stub_ = v1::Gateway::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(gport), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    grpc_->Shutdown(std::chrono::system_clock::now() + 200ms);
    http_->stop();
    for (auto& t : responders_) t.join();
    http_.reset();
    hub_.reset();
    grpc_.reset();
    core_.reset();
    fs::remove_all(dir_);
  }

  // Stands in for the recorder and mat-detector: answers each command from another thread.
  bool fake_bus(std::string_view topic, const google::protobuf::MessageLite& m) {
    if (!responders_on_) return false;
    if (topic == bus::topics::mat_control) {
      last_mat_.ParseFromString(m.SerializeAsString());
      responders_.emplace_back([this, c = last_mat_] {
        std::this_thread::sleep_for(5ms);
        v1::MatCommandResult r;
        r.set_command_id(c.command_id());
        r.set_ok(c.acknowledge_alert_id() != "unknown");
        if (!r.ok()) r.set_error("unknown alert");
        r.set_assigned_id(c.has_upsert_zone() ? "zone-1" : "");
        core_->on_mat_result(r);
      });
      return true;
    }
    if (topic == bus::topics::recorder_control) {
      v1::RecorderCommand c;
      c.ParseFromString(m.SerializeAsString());
      responders_.emplace_back([this, c] {
        std::this_thread::sleep_for(5ms);
        v1::RecordingStatus st;
        st.set_request_id(c.request_id());
        st.set_ok(true);
        auto* s = st.mutable_session();
        s->set_session_id("sess-1");
        s->set_name(c.has_start() ? c.start().name() : "walk");
        s->set_state(c.has_start() ? v1::RECORDING_STATE_ACTIVE : v1::RECORDING_STATE_STOPPED);
        s->set_started_ns(123);
        core_->on_recording_status(st);
      });
      return true;
    }
    return false;
  }

  template <class Msg>
  Msg parse(const std::string& json) {
    Msg m;
    const auto err = from_json(json, m);
    EXPECT_EQ(err, "") << json;
    return m;
  }

  void ctx_key(grpc::ClientContext& ctx, const std::string& key) {
    if (!key.empty()) ctx.AddMetadata("authorization", "Bearer " + key);
    ctx.set_deadline(std::chrono::system_clock::now() + 5s);
  }

  static v1::SensingUpdate sensing(const std::string& node, std::int64_t t, bool presence,
                                   v1::MotionState m = v1::MOTION_STATE_PRESENT_STILL) {
    v1::SensingUpdate u;
    u.mutable_origin()->set_node_id(node);
    u.mutable_origin()->set_capture_time_ns(t);
    u.mutable_origin()->set_sequence(static_cast<std::uint64_t>(t));
    u.set_calibrated(true);
    u.set_presence(presence);
    u.set_presence_confidence(presence ? 0.8 : 0.1);
    u.set_motion_state(m);
    u.mutable_breathing()->set_valid(true);
    u.mutable_breathing()->set_rate_per_min(14.5);
    u.mutable_breathing()->set_confidence(0.7);
    for (int i = 0; i < 56; ++i) u.add_amplitude(static_cast<float>(i) * 0.5f);
    return u;
  }

  // Produces `n` presence events on node n1 (toggling), committed.
  void make_presence_events(int n, std::int64_t t0 = 1'000'000'000'000) {
    core_->on_sensing(sensing("n1", t0, false), 0);
    for (int i = 1; i <= n; ++i) core_->on_sensing(sensing("n1", t0 + i * 1'000'000, i % 2 == 1), 0);
    core_->writer().flush();
  }

  fs::path dir_;
  std::unique_ptr<GatewayCore> core_;
  std::unique_ptr<WsHub> hub_;
  std::unique_ptr<RestApi> rest_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<GatewayGrpcService> grpc_service_;
  std::unique_ptr<grpc::Server> grpc_;
  std::unique_ptr<v1::Gateway::Stub> stub_;
  std::uint16_t port_ = 0;
  std::string admin_, user_;
  bool responders_on_ = true;
  std::vector<std::thread> responders_;
  v1::MatCommand last_mat_;
};

std::string fill(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      out += "x1";
      i = pattern.find('}', i);
    } else {
      out += pattern[i];
    }
  }
  return out;
}

TEST_F(ApiTest, HealthAndStaticFilesArePublicEverythingElseNeedsAKey) {
  EXPECT_EQ(http(port_, "GET", "/healthz").status, 200);
  const auto index = http(port_, "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<html>dashboard</html>");
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  const auto js = http(port_, "GET", "/js/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  for (const char* evil : {"/../secret.txt", "/%2e%2e/secret.txt", "/js/../../secret.txt", "/.hidden", "/js/%00"}) {
    const auto r = http(port_, "GET", evil);
    EXPECT_TRUE(r.status == 404 || r.status == 400) << evil << " " << r.status;
    EXPECT_EQ(r.body.find("outside the web root"), std::string::npos) << evil;
  }
  for (const auto& route : rest_->routes()) {
    if (route.access == RestApi::Route::Access::kPublic) continue;
    const auto target = fill(route.pattern);
    for (const std::string& key : {std::string(), std::string("wdp_wrong")}) {
      const auto r = http(port_, route.method, target, key);
      EXPECT_EQ(r.status, 401) << route.method << " " << target;
      const auto j = nlohmann::json::parse(r.body, nullptr, false);
      ASSERT_TRUE(j.is_object()) << r.body;
      EXPECT_EQ(j["error"]["code"], 401);
      EXPECT_EQ(j["error"]["status"], "UNAUTHENTICATED");
    }
    if (route.access == RestApi::Route::Access::kAdmin) {
      EXPECT_EQ(http(port_, route.method, target, user_).status, 403) << target;
    } else if (route.method == "GET") {
      EXPECT_EQ(http(port_, route.method, target, user_).status, 200) << target;
      EXPECT_EQ(http(port_, route.method, target + "?access_token=" + user_).status, 200) << target;
    }
  }
}

TEST_F(ApiTest, UnknownRoutesAre404AndWrongMethods405AsJson) {
  for (const char* path : {"/api/v1/nope", "/api/v2/status", "/ws/other", "/nofile.html"}) {
    const auto r = http(port_, "GET", path, user_);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], 404);
  }
  EXPECT_EQ(http(port_, "DELETE", "/api/v1/status", user_).status, 405);
  EXPECT_EQ(http(port_, "POST", "/api/v1/keys", admin_, "{not json").status, 400);
}

TEST_F(ApiTest, OpenApiListsEveryRoute) {
  const auto r = http(port_, "GET", "/api/v1/openapi.json", user_);
  ASSERT_EQ(r.status, 200);
  const auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  for (const auto& route : rest_->routes()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(doc["paths"].contains(route.pattern) && doc["paths"][route.pattern].contains(method))
        << route.method << " " << route.pattern;
  }
  for (const char* ws : {"/ws/sensing", "/api/v1/stream/sensing", "/api/v1/stream/pose", "/api/v1/stream/mat",
                         "/api/v1/stream/events"}) {
    EXPECT_TRUE(doc["paths"].contains(ws)) << ws;
  }
}

TEST_F(ApiTest, RestJsonEqualsTheGrpcAnswers) {
  core_->on_sensing(sensing("n1", 5'000'000'000, true), 0);
  core_->on_sensing(sensing("n2", 6'000'000'000, false), 0);
  v1::MatEvent m;
  m.mutable_origin()->set_capture_time_ns(7'000'000'000);
  m.mutable_zone()->set_zone_id("z1");
  m.mutable_zone()->set_name("north wing");
  m.mutable_zone()->mutable_rectangle()->mutable_max()->set_x_m(4);  // a zone without a shape is a deletion
  core_->on_mat(m, 0);
  v1::MatEvent s;
  s.mutable_survivor()->set_survivor_id("s1");
  s.mutable_survivor()->set_zone_id("z1");
  s.mutable_survivor()->set_triage(v1::TRIAGE_CLASS_IMMEDIATE);
  core_->on_mat(s, 8'000'000'000);
  core_->writer().flush();

  auto compare = [&](const std::string& target, auto rpc) {
    using Res = typename decltype(rpc(std::declval<grpc::ClientContext*>()))::second_type;
    grpc::ClientContext ctx;
    ctx_key(ctx, user_);
    auto [st, grpc_res] = rpc(&ctx);
    const auto normalize = [](Res& m) {
      // Ages move between the two calls; everything else must match.
      if constexpr (std::is_same_v<Res, v1::ListNodesResponse>) {
        for (auto& n : *m.mutable_nodes()) n.clear_seconds_since_frame();
      }
    };
    normalize(grpc_res);
    EXPECT_TRUE(st.ok()) << target << ": " << st.error_message();
    const auto r = http(port_, "GET", target, user_);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    auto rest_res = parse<Res>(r.body);
    normalize(rest_res);
    EXPECT_TRUE(MessageDifferencer::Equals(rest_res, grpc_res)) << target << "\nREST " << rest_res.DebugString()
                                                                << "\ngRPC " << grpc_res.DebugString();
    return rest_res;
  };
  const auto latest = compare("/api/v1/sensing/latest", [&](grpc::ClientContext* c) {
    v1::GetLatestSensingResponse r;
    return std::pair{stub_->GetLatestSensing(c, {}, &r), r};
  });
  EXPECT_EQ(latest.updates_size(), 2);
  const auto one = compare("/api/v1/sensing/latest?node=n2", [&](grpc::ClientContext* c) {
    v1::GetLatestSensingRequest q;
    q.set_node_id("n2");
    v1::GetLatestSensingResponse r;
    return std::pair{stub_->GetLatestSensing(c, q, &r), r};
  });
  ASSERT_EQ(one.updates_size(), 1);
  EXPECT_EQ(one.updates(0).amplitude_size(), 56);
  compare("/api/v1/poses/latest", [&](grpc::ClientContext* c) {
    v1::GetLatestPosesResponse r;
    return std::pair{stub_->GetLatestPoses(c, {}, &r), r};
  });
  const auto nodes = compare("/api/v1/nodes", [&](grpc::ClientContext* c) {
    v1::ListNodesResponse r;
    return std::pair{stub_->ListNodes(c, {}, &r), r};
  });
  EXPECT_EQ(nodes.nodes_size(), 2);
  compare("/api/v1/events", [&](grpc::ClientContext* c) {
    v1::ListEventsResponse r;
    return std::pair{stub_->ListEvents(c, {}, &r), r};
  });
  const auto zones = compare("/api/v1/mat/zones", [&](grpc::ClientContext* c) {
    v1::ListMatZonesResponse r;
    return std::pair{stub_->ListMatZones(c, {}, &r), r};
  });
  ASSERT_EQ(zones.zones_size(), 1);
  EXPECT_EQ(zones.zones(0).name(), "north wing");
  const auto survivors = compare("/api/v1/mat/survivors?zone=z1", [&](grpc::ClientContext* c) {
    v1::ListSurvivorsRequest q;
    q.set_zone_id("z1");
    v1::ListSurvivorsResponse r;
    return std::pair{stub_->ListSurvivors(c, q, &r), r};
  });
  EXPECT_EQ(survivors.survivors_size(), 1);
  compare("/api/v1/mat/alerts", [&](grpc::ClientContext* c) {
    v1::ListAlertsResponse r;
    return std::pair{stub_->ListAlerts(c, {}, &r), r};
  });
  compare("/api/v1/mat/events", [&](grpc::ClientContext* c) {
    v1::ListDisasterEventsResponse r;
    return std::pair{stub_->ListDisasterEvents(c, {}, &r), r};
  });
  compare("/api/v1/recordings", [&](grpc::ClientContext* c) {
    v1::ListRecordingsResponse r;
    return std::pair{stub_->ListRecordings(c, {}, &r), r};
  });
  // Status carries ages that change between two calls; compare the parts that do not.
  const auto st = http(port_, "GET", "/api/v1/status", user_);
  ASSERT_EQ(st.status, 200);
  const auto status = parse<v1::GetStatusResponse>(st.body);
  EXPECT_EQ(status.nodes_size(), 2);
  // Keys: admin only.
  grpc::ClientContext kctx;
  ctx_key(kctx, admin_);
  v1::ListApiKeysResponse keys;
  ASSERT_TRUE(stub_->ListApiKeys(&kctx, {}, &keys).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(parse<v1::ListApiKeysResponse>(http(port_, "GET", "/api/v1/keys", admin_).body), keys));
  // The JSON uses proto field names (snake_case), int64 as strings, every field present.
  const auto j = nlohmann::json::parse(http(port_, "GET", "/api/v1/sensing/latest?node=n2", user_).body);
  EXPECT_TRUE(j["updates"][0].contains("presence_confidence"));
  EXPECT_EQ(j["updates"][0]["presence"], false);
  EXPECT_EQ(j["updates"][0]["origin"]["capture_time_ns"], "6000000000");
}

TEST_F(ApiTest, EventsPageByTokenAndFilterByTimeOverRestAndGrpc) {
  make_presence_events(7);  // times t0+1ms .. t0+7ms
  std::vector<std::int64_t> rest_ids;
  std::string token;
  int pages = 0;
  do {
    const auto r = http(port_, "GET", "/api/v1/events?limit=3&page_token=" + token, user_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto page = parse<v1::ListEventsResponse>(r.body);
    for (const auto& e : page.events()) rest_ids.push_back(e.id());
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(rest_ids.size(), 7u);
  EXPECT_EQ(pages, 3);

  std::vector<std::int64_t> grpc_ids;
  v1::ListEventsRequest q;
  q.set_limit(3);
  do {
    grpc::ClientContext ctx;
    ctx_key(ctx, user_);
    v1::ListEventsResponse r;
    ASSERT_TRUE(stub_->ListEvents(&ctx, q, &r).ok());
    for (const auto& e : r.events()) grpc_ids.push_back(e.id());
    q.set_page_token(r.next_page_token());
  } while (!q.page_token().empty());
  EXPECT_EQ(grpc_ids, rest_ids);

  // since inclusive, until exclusive: t0+2ms .. t0+5ms -> events 2, 3, 4.
  const auto r = http(port_, "GET", "/api/v1/events?since=1000002000000&until=1000005000000&kind=presence", user_);
  ASSERT_EQ(r.status, 200);
  const auto ranged = parse<v1::ListEventsResponse>(r.body);
  ASSERT_EQ(ranged.events_size(), 3);
  EXPECT_EQ(ranged.events(0).time_ns(), 1'000'002'000'000);
  EXPECT_EQ(ranged.events(0).kind(), v1::EVENT_KIND_PRESENCE);
  // RFC 3339: 1970-01-01T00:16:40.002Z is t0 + 2 ms.
  EXPECT_EQ(parse<v1::ListEventsResponse>(http(port_, "GET", "/api/v1/events?since=1970-01-01T00:16:40.002Z", user_).body)
                .events_size(), 6);
  EXPECT_EQ(http(port_, "GET", "/api/v1/events?since=tomorrow", user_).status, 400);
  EXPECT_EQ(http(port_, "GET", "/api/v1/events?page_token=zz", user_).status, 400);
  EXPECT_EQ(http(port_, "GET", "/api/v1/events?limit=0", user_).status, 400);
  EXPECT_EQ(http(port_, "GET", "/api/v1/events?kind=bogus", user_).status, 400);
  grpc::ClientContext bad;
  ctx_key(bad, user_);
  v1::ListEventsRequest badq;
  badq.set_page_token("zz");
  v1::ListEventsResponse badr;
  EXPECT_EQ(stub_->ListEvents(&bad, badq, &badr).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ApiTest, MatOperatorActionsGoToMatDetectorAndWaitForItsAnswer) {
  auto r = http(port_, "POST", "/api/v1/mat/alerts/a7/acknowledge", user_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(parse<v1::MatCommandResult>(r.body).ok());
  EXPECT_EQ(last_mat_.acknowledge_alert_id(), "a7");
  EXPECT_EQ(last_mat_.operator_(), "user");  // the key's name, not a client-supplied value
  r = http(port_, "POST", "/api/v1/mat/zones", user_, R"({"name":"east","circle":{"center":{"x_m":1},"radius_m":3}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(parse<v1::MatCommandResult>(r.body).assigned_id(), "zone-1");
  EXPECT_DOUBLE_EQ(last_mat_.upsert_zone().circle().radius_m(), 3.0);
  r = http(port_, "POST", "/api/v1/mat/commands", user_, R"({"resolve_alert_id":"a9"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(last_mat_.resolve_alert_id(), "a9");
  EXPECT_EQ(http(port_, "POST", "/api/v1/mat/alerts/a5/ack", user_).status, 200);
  EXPECT_EQ(last_mat_.acknowledge_alert_id(), "a5");
  EXPECT_EQ(http(port_, "POST", "/api/v1/mat/survivors/s1/rescued", user_).status, 200);
  EXPECT_EQ(last_mat_.mark_rescued_survivor_id(), "s1");
  EXPECT_EQ(http(port_, "POST", "/api/v1/mat/events/e1/close", user_).status, 200);
  EXPECT_EQ(http(port_, "DELETE", "/api/v1/mat/zones/z1", user_).status, 200);
  EXPECT_EQ(http(port_, "POST", "/api/v1/mat/events", user_, R"({"name":"quake","kind":"earthquake"})").status, 200);
  EXPECT_EQ(last_mat_.create_event().kind(), "earthquake");
  // Refused by mat-detector: 409 with its reason.
  r = http(port_, "POST", "/api/v1/mat/alerts/unknown/acknowledge", user_);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(parse<v1::MatCommandResult>(r.body).error(), "unknown alert");
  EXPECT_EQ(http(port_, "POST", "/api/v1/mat/commands", user_, "{}").status, 400);  // no action
  // gRPC face.
  grpc::ClientContext ctx;
  ctx_key(ctx, user_);
  v1::MatCommand c;
  c.set_acknowledge_alert_id("a8");
  v1::MatCommandResult res;
  ASSERT_TRUE(stub_->SendMatCommand(&ctx, c, &res).ok());
  EXPECT_TRUE(res.ok());
  // Nobody listening: 503 / UNAVAILABLE, quickly.
  responders_on_ = false;
  EXPECT_EQ(http(port_, "POST", "/api/v1/mat/alerts/a7/acknowledge", user_).status, 503);
  grpc::ClientContext ctx2;
  ctx_key(ctx2, user_);
  EXPECT_EQ(stub_->SendMatCommand(&ctx2, c, &res).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ApiTest, RecordingsStartAndStopThroughTheRecorder) {
  auto r = http(port_, "POST", "/api/v1/recordings/start", user_, R"({"name":"walk","labels":{"activity":"walking"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(parse<v1::RecordingSession>(r.body).state(), v1::RECORDING_STATE_ACTIVE);
  core_->writer().flush();
  auto list = parse<v1::ListRecordingsResponse>(http(port_, "GET", "/api/v1/recordings", user_).body);
  ASSERT_EQ(list.sessions_size(), 1);
  EXPECT_EQ(list.sessions(0).name(), "walk");
  EXPECT_EQ(http(port_, "POST", "/api/v1/recordings/start", user_, "{}").status, 400);  // name required
  grpc::ClientContext ctx;
  ctx_key(ctx, user_);
  v1::RecordingSession s;
  ASSERT_TRUE(stub_->StopRecording(&ctx, {}, &s).ok());
  EXPECT_EQ(s.state(), v1::RECORDING_STATE_STOPPED);
  core_->writer().flush();
  list = parse<v1::ListRecordingsResponse>(http(port_, "GET", "/api/v1/recordings", user_).body);
  ASSERT_EQ(list.sessions_size(), 1);
  EXPECT_EQ(list.sessions(0).state(), v1::RECORDING_STATE_STOPPED);
}

TEST_F(ApiTest, AdminManagesKeysOthersCannot) {
  auto r = http(port_, "POST", "/api/v1/keys", admin_, R"({"name":"dashboard"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto created = parse<v1::CreateApiKeyResponse>(r.body);
  EXPECT_EQ(http(port_, "GET", "/api/v1/status", created.secret()).status, 200);
  EXPECT_EQ(http(port_, "POST", "/api/v1/keys", created.secret(), R"({"name":"x"})").status, 403);
  EXPECT_EQ(http(port_, "DELETE", "/api/v1/keys/" + created.key().key_id(), admin_).status, 200);
  EXPECT_EQ(http(port_, "GET", "/api/v1/status", created.secret()).status, 401);
  EXPECT_EQ(http(port_, "DELETE", "/api/v1/keys/" + created.key().key_id(), admin_).status, 404);

  v1::CreateApiKeyRequest q;
  q.set_name("grpc-made");
  v1::CreateApiKeyResponse res;
  for (const auto& [key, code] : {std::pair{std::string(), grpc::StatusCode::UNAUTHENTICATED},
                                  std::pair{std::string("wdp_bad"), grpc::StatusCode::UNAUTHENTICATED},
                                  std::pair{user_, grpc::StatusCode::PERMISSION_DENIED},
                                  std::pair{admin_, grpc::StatusCode::OK}}) {
    grpc::ClientContext ctx;
    ctx_key(ctx, key);
    EXPECT_EQ(stub_->CreateApiKey(&ctx, q, &res).error_code(), code) << key;
  }
  grpc::ClientContext rctx;
  ctx_key(rctx, admin_);
  v1::RevokeApiKeyRequest rq;
  rq.set_key_id(res.key().key_id());
  v1::ApiKey revoked;
  ASSERT_TRUE(stub_->RevokeApiKey(&rctx, rq, &revoked).ok());
  EXPECT_NE(revoked.revoked_ns(), 0);
}

TEST_F(ApiTest, EveryRpcNeedsAKey) {
  const auto check = [&](const char* name, auto call) {
    grpc::ClientContext ctx;
    ctx_key(ctx, "");
    EXPECT_EQ(call(&ctx).error_code(), grpc::StatusCode::UNAUTHENTICATED) << name;
  };
  check("GetStatus", [&](auto* c) { v1::GetStatusResponse r; return stub_->GetStatus(c, {}, &r); });
  check("ListNodes", [&](auto* c) { v1::ListNodesResponse r; return stub_->ListNodes(c, {}, &r); });
  check("GetLatestSensing", [&](auto* c) { v1::GetLatestSensingResponse r; return stub_->GetLatestSensing(c, {}, &r); });
  check("GetLatestPoses", [&](auto* c) { v1::GetLatestPosesResponse r; return stub_->GetLatestPoses(c, {}, &r); });
  check("ListEvents", [&](auto* c) { v1::ListEventsResponse r; return stub_->ListEvents(c, {}, &r); });
  check("ListRecordings", [&](auto* c) { v1::ListRecordingsResponse r; return stub_->ListRecordings(c, {}, &r); });
  check("StartRecording", [&](auto* c) { v1::RecordingSession r; return stub_->StartRecording(c, {}, &r); });
  check("StopRecording", [&](auto* c) { v1::RecordingSession r; return stub_->StopRecording(c, {}, &r); });
  check("ListMatZones", [&](auto* c) { v1::ListMatZonesResponse r; return stub_->ListMatZones(c, {}, &r); });
  check("ListSurvivors", [&](auto* c) { v1::ListSurvivorsResponse r; return stub_->ListSurvivors(c, {}, &r); });
  check("ListAlerts", [&](auto* c) { v1::ListAlertsResponse r; return stub_->ListAlerts(c, {}, &r); });
  check("ListDisasterEvents", [&](auto* c) { v1::ListDisasterEventsResponse r; return stub_->ListDisasterEvents(c, {}, &r); });
  check("SendMatCommand", [&](auto* c) { v1::MatCommandResult r; return stub_->SendMatCommand(c, {}, &r); });
  check("CreateApiKey", [&](auto* c) { v1::CreateApiKeyResponse r; return stub_->CreateApiKey(c, {}, &r); });
  check("ListApiKeys", [&](auto* c) { v1::ListApiKeysResponse r; return stub_->ListApiKeys(c, {}, &r); });
  check("RevokeApiKey", [&](auto* c) { v1::ApiKey r; return stub_->RevokeApiKey(c, {}, &r); });
  check("StreamSensing", [&](auto* c) { v1::SensingUpdate m; auto s = stub_->StreamSensing(c, {}); s->Read(&m); return s->Finish(); });
  check("StreamPoses", [&](auto* c) { v1::PoseFrame m; auto s = stub_->StreamPoses(c, {}); s->Read(&m); return s->Finish(); });
  check("StreamMatEvents", [&](auto* c) { v1::MatEvent m; auto s = stub_->StreamMatEvents(c, {}); s->Read(&m); return s->Finish(); });
  check("StreamEvents", [&](auto* c) { v1::Event m; auto s = stub_->StreamEvents(c, {}); s->Read(&m); return s->Finish(); });
}

TEST_F(ApiTest, GrpcStreamsDeliverFilteredLiveMessages) {
  grpc::ClientContext ctx;
  ctx_key(ctx, user_);
  v1::StreamRequest q;
  q.add_node_ids("n2");
  auto reader = stub_->StreamSensing(&ctx, q);
  grpc::ClientContext ectx;
  ctx_key(ectx, user_);
  v1::StreamRequest eq;
  eq.add_topics("event.presence");
  auto events = stub_->StreamEvents(&ectx, eq);
  // Wait until both streams are registered with the fan-outs.
  for (int i = 0; i < 200 && grpc_service_->stream_stats().streams.load() < 2; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(grpc_service_->stream_stats().streams.load(), 2);
  core_->on_sensing(sensing("n1", 1'000, false), 0);
  core_->on_sensing(sensing("n2", 2'000, false), 0);
  core_->on_sensing(sensing("n2", 3'000, true), 0);  // presence event on n2
  v1::SensingUpdate u;
  ASSERT_TRUE(reader->Read(&u));
  EXPECT_EQ(u.origin().node_id(), "n2");
  EXPECT_EQ(u.origin().capture_time_ns(), 2'000);
  ASSERT_TRUE(reader->Read(&u));
  EXPECT_EQ(u.origin().capture_time_ns(), 3'000);
  v1::Event e;
  ASSERT_TRUE(events->Read(&e));
  EXPECT_EQ(e.kind(), v1::EVENT_KIND_PRESENCE);
  EXPECT_GT(e.id(), 0);  // streamed only once committed
  // What the stream showed is in the database.
  const auto stored = core_->store().list_events({.limit = 10});
  ASSERT_EQ(stored.events_size(), 1);
  EXPECT_EQ(stored.events(0).id(), e.id());
  ctx.TryCancel();
  ectx.TryCancel();
}

TEST_F(ApiTest, WebSocketsStreamRuviewAndProtobufJson) {
  EXPECT_THROW(WsClient(port_, "/ws/sensing"), std::exception);  // no key
  EXPECT_THROW(WsClient(port_, "/ws/sensing?access_token=wdp_bad"), std::exception);
  WsClient ruview(port_, "/ws/sensing?access_token=" + user_);
  WsClient filtered(port_, "/api/v1/stream/sensing?node=n2&access_token=" + user_);
  for (int i = 0; i < 200 && hub_->stats().clients.load() < 2; ++i) std::this_thread::sleep_for(5ms);
  core_->on_sensing(sensing("n1", 1'500'000'000, true), 0);
  core_->on_sensing(sensing("n2", 2'500'000'000, false), 0);
  const auto j = nlohmann::json::parse(ruview.read());
  EXPECT_EQ(j["type"], "sensing_update");
  EXPECT_DOUBLE_EQ(j["timestamp"].get<double>(), 1.5);
  EXPECT_EQ(j["source"], "esp32");
  EXPECT_EQ(j["nodes"][0]["node_id"], "n1");
  EXPECT_EQ(j["nodes"][0]["amplitude"].size(), 56u);
  EXPECT_EQ(j["nodes"][0]["subcarrier_count"], 56);
  EXPECT_EQ(j["classification"]["motion_level"], "present_still");
  EXPECT_EQ(j["classification"]["presence"], true);
  EXPECT_DOUBLE_EQ(j["classification"]["confidence"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(j["vital_signs"]["breathing_rate_bpm"].get<double>(), 14.5);
  EXPECT_FALSE(j["vital_signs"].contains("heart_rate_bpm"));  // not valid: not sent
  const auto u = parse<v1::SensingUpdate>(filtered.read());
  EXPECT_EQ(u.origin().node_id(), "n2");  // n1 filtered out
}

class SlowClientTest : public ApiTest {
 protected:
  std::size_t ws_queue() override { return 8; }
};

TEST_F(SlowClientTest, AStalledWebSocketClientDropsOldestAndDoesNotStallOthers) {
  WsClient stalled(port_, "/api/v1/stream/sensing?access_token=" + user_);  // never reads
  WsClient live(port_, "/api/v1/stream/sensing?access_token=" + user_);
  for (int i = 0; i < 200 && hub_->stats().clients.load() < 2; ++i) std::this_thread::sleep_for(5ms);
  std::atomic<bool> got_last{false};
  std::thread reader([&] {
    for (;;) {
      const auto msg = live.read(10s);
      if (msg.empty()) return;
      if (msg.find("\"last\"") != std::string::npos) {
        got_last = true;
        return;
      }
    }
  });
  auto big = sensing("n1", 1, true);
  for (int i = 0; i < 4000; ++i) big.add_amplitude(1.25f);  // ~30 kB of JSON per message
  for (int i = 0; i < 2000; ++i) {
    big.mutable_origin()->set_sequence(static_cast<std::uint64_t>(i));
    core_->on_sensing(big, 0);
  }
  auto last = sensing("last", 2, true);
  core_->on_sensing(last, 0);
  reader.join();
  EXPECT_TRUE(got_last.load()) << "the live client must receive the newest message";
  EXPECT_GT(hub_->stats().dropped.load(), 0u) << "the stalled client's queue must have dropped messages";
}

class LimitedApiTest : public ApiTest {
 protected:
  CoreOptions core_options() override { return {.retention_ns = kForever, .rate_limit_per_s = 0.01, .rate_burst = 3}; }
  std::string cors() override { return "https://ops.example"; }
};

TEST_F(LimitedApiTest, RateLimitAnswers429AndResourceExhaustedPerKey) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http(port_, "GET", "/api/v1/status", user_).status, 200);
  const auto r = http(port_, "GET", "/api/v1/status", user_);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), "1");
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["status"], "RESOURCE_EXHAUSTED");
  grpc::ClientContext ctx;
  ctx_key(ctx, user_);
  v1::GetStatusResponse res;
  EXPECT_EQ(stub_->GetStatus(&ctx, {}, &res).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(http(port_, "GET", "/api/v1/status", admin_).status, 200);  // other keys unaffected
  EXPECT_EQ(http(port_, "GET", "/healthz").status, 200);                // health is never limited
}

TEST_F(LimitedApiTest, CorsAllowsOnlyTheConfiguredOrigin) {
  auto r = http(port_, "GET", "/api/v1/status", admin_, "", {{"Origin", "https://ops.example"}});
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://ops.example");
  r = http(port_, "GET", "/healthz", "", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.headers.count("Access-Control-Allow-Origin"), 0u);
  r = http(port_, "OPTIONS", "/api/v1/status", "", "", {{"Origin", "https://ops.example"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(r.header("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
}

}  // namespace
}  // namespace wdp::gateway
