// wdpctl: command-line client of the api-gateway over gRPC.
//   wdpctl [--server host:port] [--key KEY | env WDP_API_KEY] <command>
//   status | nodes | tail sensing|poses|mat|events [--node N] | events [--since T] [--until T] [--limit N]
//   recordings list | recordings start --name N [--label k=v]... | recordings stop [--session ID]
//   keys create --name N [--admin] | keys list | keys revoke KEY_ID
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "event_query.h"
#include "json_codec.h"
#include "wdp/v1/gateway.grpc.pb.h"

namespace {

struct Client {
  std::unique_ptr<wdp::v1::Gateway::Stub> stub;
  std::string key;
  void prepare(grpc::ClientContext& ctx, bool deadline = true) const {
    ctx.AddMetadata("authorization", "Bearer " + key);
    if (deadline) ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  }
};

int fail(const grpc::Status& st) {
  std::cerr << "error: " << st.error_code() << " " << st.error_message() << "\n";
  return st.error_code() == grpc::StatusCode::UNAUTHENTICATED ? 3 : 2;
}

template <class Res>
int print(const grpc::Status& st, const Res& res) {
  if (!st.ok()) return fail(st);
  std::cout << wdp::gateway::to_json(res) << "\n";
  return 0;
}

template <class Msg>
int tail(grpc::ClientReader<Msg>& reader) {
  Msg m;
  while (reader.Read(&m)) std::cout << wdp::gateway::to_json(m) << std::endl;
  const auto st = reader.Finish();
  return st.ok() ? 0 : fail(st);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wdpctl: query and control the wdp api-gateway over gRPC"};
  app.require_subcommand(1);
  std::string server = "127.0.0.1:50051";
  std::string key;
  app.add_option("--server", server, "gateway gRPC address host:port")->envname("WDP_GRPC_SERVER")->capture_default_str();
  app.add_option("--key", key, "API key (default: env WDP_API_KEY)")->envname("WDP_API_KEY");

  auto* status = app.add_subcommand("status", "services and nodes");
  auto* nodes = app.add_subcommand("nodes", "sensor nodes");
  auto* tail_cmd = app.add_subcommand("tail", "follow a live stream: sensing, poses, mat or events");
  std::string stream;
  std::vector<std::string> tail_nodes, tail_topics;
  tail_cmd->add_option("stream", stream, "sensing | poses | mat | events")->required()
      ->check(CLI::IsMember({"sensing", "poses", "mat", "events"}));
  tail_cmd->add_option("--node", tail_nodes, "only these nodes");
  tail_cmd->add_option("--topic", tail_topics, "only these topic prefixes (e.g. mat.survivor, event.presence)");
  auto* events = app.add_subcommand("events", "persisted events by time range");
  std::string since, until, page;
  unsigned limit = 100;
  bool all_pages = false;
  events->add_option("--since", since, "RFC 3339 or ns since the epoch");
  events->add_option("--until", until, "RFC 3339 or ns since the epoch");
  events->add_option("--limit", limit, "events per page")->check(CLI::Range(1, 1000));
  events->add_option("--page-token", page, "continue from a previous page");
  events->add_flag("--all", all_pages, "follow next_page_token to the end");
  auto* rec = app.add_subcommand("recordings", "recording sessions");
  rec->require_subcommand(1);
  rec->add_subcommand("list", "list sessions");
  auto* rec_start = rec->add_subcommand("start", "start a labelled session");
  std::string rec_name, rec_session;
  std::vector<std::string> rec_labels, rec_topics;
  rec_start->add_option("--name", rec_name, "session name")->required();
  rec_start->add_option("--label", rec_labels, "label key=value (repeatable)");
  rec_start->add_option("--topic", rec_topics, "topic prefix to record (repeatable)");
  auto* rec_stop = rec->add_subcommand("stop", "stop a session");
  rec_stop->add_option("--session", rec_session, "session id (default: the active one)");
  auto* keys = app.add_subcommand("keys", "API keys (admin key needed)");
  keys->require_subcommand(1);
  auto* keys_create = keys->add_subcommand("create", "create a key; prints the secret once");
  std::string key_name, key_id;
  bool key_admin = false;
  keys_create->add_option("--name", key_name, "key name")->required();
  keys_create->add_flag("--admin", key_admin, "may manage keys");
  keys->add_subcommand("list", "list keys (no secrets)");
  auto* keys_revoke = keys->add_subcommand("revoke", "revoke a key");
  keys_revoke->add_option("key_id", key_id, "key id from `keys list`")->required();
  CLI11_PARSE(app, argc, argv);

  if (key.empty()) {
    std::cerr << "error: no API key: pass --key or set WDP_API_KEY (./wdp key prints the admin key)\n";
    return 3;
  }
  Client c{wdp::v1::Gateway::NewStub(grpc::CreateChannel(server, grpc::InsecureChannelCredentials())), key};
  namespace v1 = wdp::v1;
  grpc::ClientContext ctx;

  if (*status) {
    c.prepare(ctx);
    v1::GetStatusResponse r;
    return print(c.stub->GetStatus(&ctx, {}, &r), r);
  }
  if (*nodes) {
    c.prepare(ctx);
    v1::ListNodesResponse r;
    return print(c.stub->ListNodes(&ctx, {}, &r), r);
  }
  if (*tail_cmd) {
    c.prepare(ctx, false);
    v1::StreamRequest req;
    for (const auto& n : tail_nodes) req.add_node_ids(n);
    for (const auto& t : tail_topics) req.add_topics(t);
    if (stream == "sensing") return tail(*c.stub->StreamSensing(&ctx, req));
    if (stream == "poses") return tail(*c.stub->StreamPoses(&ctx, req));
    if (stream == "mat") return tail(*c.stub->StreamMatEvents(&ctx, req));
    return tail(*c.stub->StreamEvents(&ctx, req));
  }
  if (*events) {
    v1::ListEventsRequest req;
    for (const auto& [text, setter] : {std::pair{&since, 0}, std::pair{&until, 1}}) {
      if (text->empty()) continue;
      const auto t = wdp::gateway::parse_time_ns(*text);
      if (!t) {
        std::cerr << "error: not RFC 3339 or ns: " << *text << "\n";
        return 2;
      }
      setter == 0 ? req.set_since_ns(*t) : req.set_until_ns(*t);
    }
    req.set_limit(limit);
    req.set_page_token(page);
    for (;;) {
      grpc::ClientContext pctx;
      c.prepare(pctx);
      v1::ListEventsResponse r;
      const auto st = c.stub->ListEvents(&pctx, req, &r);
      if (!st.ok()) return fail(st);
      if (!all_pages) return print(st, r);
      for (const auto& e : r.events()) std::cout << wdp::gateway::to_json(e) << "\n";
      if (r.next_page_token().empty()) return 0;
      req.set_page_token(r.next_page_token());
    }
  }
  if (*rec) {
    c.prepare(ctx);
    if (rec->got_subcommand("list")) {
      v1::ListRecordingsResponse r;
      return print(c.stub->ListRecordings(&ctx, {}, &r), r);
    }
    if (*rec_start) {
      v1::StartRecordingRequest req;
      req.set_name(rec_name);
      for (const auto& l : rec_labels) {
        const auto eq = l.find('=');
        if (eq == std::string::npos) {
          std::cerr << "error: label must be key=value: " << l << "\n";
          return 2;
        }
        (*req.mutable_labels())[l.substr(0, eq)] = l.substr(eq + 1);
      }
      for (const auto& t : rec_topics) req.add_topics(t);
      v1::RecordingSession r;
      return print(c.stub->StartRecording(&ctx, req, &r), r);
    }
    v1::StopRecordingRequest req;
    req.set_session_id(rec_session);
    v1::RecordingSession r;
    return print(c.stub->StopRecording(&ctx, req, &r), r);
  }
  if (*keys) {
    c.prepare(ctx);
    if (*keys_create) {
      v1::CreateApiKeyRequest req;
      req.set_name(key_name);
      req.set_admin(key_admin);
      v1::CreateApiKeyResponse r;
      return print(c.stub->CreateApiKey(&ctx, req, &r), r);
    }
    if (keys->got_subcommand("list")) {
      v1::ListApiKeysResponse r;
      return print(c.stub->ListApiKeys(&ctx, {}, &r), r);
    }
    v1::RevokeApiKeyRequest req;
    req.set_key_id(key_id);
    v1::ApiKey r;
    return print(c.stub->RevokeApiKey(&ctx, req, &r), r);
  }
  return 2;
}
