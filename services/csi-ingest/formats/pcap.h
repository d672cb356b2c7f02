#pragma once
// A small libpcap file reader (../shared/docs/csi-wire-formats.md §7.2): µs and ns magics in
// either byte order, Ethernet (1) and Linux cooked (113) link types. It yields the UDP payloads
// of IPv4 packets with their capture times; everything else is skipped by kind. pcapng and other
// containers are rejected as "unsupported_container". Like every stream decoder it takes the file
// in chunks of any size and buffers at most one record (bounded by kPcapMaxRecord).
//
// make_nexmon_pcap_decoder feeds port-5500 payloads to decode_nexmon_udp (nexmon.h) with the
// capture time as the sensor time. Nexmon frames are never short enough to need Ethernet padding,
// so bytes after the IP datagram mean a damaged frame: the 43455c0's 1028-byte CSI sections carry
// 4 bytes beyond the UDP length. The vendor reader sizes CSI by the captured length and skips
// them; here they are rejected as "bad_length", so accepted frame k is the vendor's frame k.
#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::size_t kPcapGlobalHeader = 24;
inline constexpr std::size_t kPcapRecordHeader = 16;
inline constexpr std::size_t kPcapMaxRecord = 262'144;  // libpcap's MAXIMUM_SNAPLEN

struct UdpPacket {
  std::int64_t capture_time_ns = 0;      // pcap record time, ns since the Unix epoch
  std::uint32_t src_ip = 0, dst_ip = 0;  // IPv4 addresses, host order
  std::uint16_t src_port = 0, dst_port = 0;
  std::span<const std::byte> payload;    // valid only during the callback
  std::size_t trailing = 0;              // captured bytes after the IP datagram (padding or junk)
  std::uint64_t offset = 0;              // file offset of the pcap record
};

struct PcapCallbacks {
  std::function<void(const UdpPacket&)> on_udp;
  std::function<void(const Reject&)> on_reject;
  std::function<void(const Skip&)> on_skip;  // may be empty
};

class PcapReader {
 public:
  explicit PcapReader(PcapCallbacks callbacks) : callbacks_(std::move(callbacks)) {}
  void feed(std::span<const std::byte> chunk);
  // Reports a torn final record.
  void finish();
  // True after a reject that ends the file (bad container, link type or record length).
  bool stopped() const { return stopped_; }

 private:
  std::size_t parse(std::span<const std::byte> b);  // returns bytes consumed
  bool global_header(std::span<const std::byte> h);
  void packet(std::span<const std::byte> data, std::int64_t time_ns, std::uint64_t offset);
  void stop(std::string reason, std::string detail, std::uint64_t offset);
  void skip(const char* kind);
  std::uint32_t u32(std::span<const std::byte> b, std::size_t off) const;

  PcapCallbacks callbacks_;
  std::vector<std::byte> pending_;
  std::uint64_t offset_ = 0;  // file offset of pending_[0]
  bool have_header_ = false;
  bool swapped_ = false;
  bool nanos_ = false;
  std::uint32_t linktype_ = 0;
  bool stopped_ = false;
};

std::unique_ptr<StreamDecoder> make_nexmon_pcap_decoder(const DecodeContext& context, StreamCallbacks callbacks);

}  // namespace wdp::ingest
