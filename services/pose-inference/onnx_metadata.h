#pragma once
// Reads ModelProto.metadata_props (field 14: repeated {key = 1, value = 2}) from an .onnx file
// with a minimal protobuf wire-format scanner, because OpenCV DNN does not expose them and the
// model contract travels there (docs/model-contract.md). Other fields are skipped unparsed.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace wdp::pose {

// Throws std::runtime_error (path + reason) on unreadable or malformed files.
std::map<std::string, std::string> read_onnx_metadata(const std::filesystem::path& path);
std::map<std::string, std::string> parse_onnx_metadata(std::string_view model_bytes);

}  // namespace wdp::pose
