#pragma once
// The on-disk encoding of segment files (docs/recording-format.md): a 32-byte file header, then
// records of [sync u32][length u32][crc u32][body]. Pure functions, no I/O.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wdp::recorder {

inline constexpr char kSegmentMagic[8] = {'W', 'D', 'P', 'S', 'E', 'G', '0', '1'};
inline constexpr std::uint32_t kSegmentVersion = 1;
inline constexpr std::size_t kFileHeaderSize = 32;
inline constexpr std::uint32_t kRecordSync = 0xD1C5AE55u;
inline constexpr std::size_t kRecordPrefixSize = 12;  // sync, length, crc
inline constexpr std::size_t kBodyHeaderSize = 32;
inline constexpr std::uint32_t kMaxBodyBytes = 16u << 20;

// Persisted: never renumber.
enum class RecordType : std::uint8_t { bus_message = 1 };

struct FileHeader {
  std::uint32_t segment_no = 0;
  std::int64_t created_ns = 0;
};

// One recorded bus message, referring to bytes owned elsewhere.
struct RecordView {
  std::string_view topic;
  std::uint32_t publisher_id = 0;
  std::uint64_t bus_sequence = 0;
  std::int64_t publish_time_ns = 0;
  std::int64_t receive_time_ns = 0;
  std::span<const std::byte> payload;
};

// The same, owning its bytes (what readers hand out).
struct Record {
  std::string topic;
  std::uint32_t publisher_id = 0;
  std::uint64_t bus_sequence = 0;
  std::int64_t publish_time_ns = 0;
  std::int64_t receive_time_ns = 0;
  std::string payload;

  RecordView view() const {
    return {topic, publisher_id, bus_sequence, publish_time_ns, receive_time_ns,
            std::as_bytes(std::span<const char>(payload))};
  }
};

std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t seed = 0);

void encode_file_header(const FileHeader& h, std::byte* out);
std::optional<FileHeader> decode_file_header(std::span<const std::byte> in);

// Bytes the record takes in the file, prefix included.
std::size_t encoded_size(const RecordView& r);
// Appends the encoded record to `out`.
void append_record(const RecordView& r, std::string& out);

enum class DecodeStatus { ok, truncated, bad };
// Decodes the record at the start of `in`. On ok, `consumed` is its size in the file and `out`
// refers into `in`.
DecodeStatus decode_record(std::span<const std::byte> in, RecordView& out, std::size_t& consumed);

}  // namespace wdp::recorder
