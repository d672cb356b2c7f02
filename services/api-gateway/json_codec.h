#pragma once
// Protobuf <-> JSON as the REST API and WebSockets speak it (the dashboard contract in the README):
// snake_case names, every field present, enums as names, int64 as strings.
#include <string>
#include <string_view>

namespace google::protobuf {
class Message;
}
namespace wdp::v1 {
class SensingUpdate;
}

namespace wdp::gateway {

std::string to_json(const google::protobuf::Message& m);
// Parses `json` into `m` (unknown fields rejected). Returns the parser's message on failure, "" on success.
std::string from_json(std::string_view json, google::protobuf::Message& m);

// A RuView-compatible `sensing_update` (docs: anchor-api.md §4.1) built from one SensingUpdate.
// Only fields wdp measures are filled; RuView fields without a measured source are left out.
std::string ruview_sensing_update(const v1::SensingUpdate& u, std::string_view source);

}  // namespace wdp::gateway
