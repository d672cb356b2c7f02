#include "formats/pcap.h"

#include <cstdio>
#include <cstring>

#include "formats/nexmon.h"

namespace wdp::ingest {
namespace {

constexpr std::uint32_t kLinktypeEthernet = 1;
constexpr std::uint32_t kLinktypeLinuxSll = 113;

std::uint16_t be16(std::span<const std::byte> b, std::size_t off) {
  return static_cast<std::uint16_t>(std::uint16_t(b[off]) << 8 | std::uint16_t(b[off + 1]));
}

std::uint32_t be32(std::span<const std::byte> b, std::size_t off) {
  return std::uint32_t{be16(b, off)} << 16 | be16(b, off + 2);
}

}  // namespace

std::uint32_t PcapReader::u32(std::span<const std::byte> b, std::size_t off) const {
  std::uint32_t v;
  std::memcpy(&v, b.data() + off, 4);  // host is little-endian
  return swapped_ ? __builtin_bswap32(v) : v;
}

void PcapReader::feed(std::span<const std::byte> chunk) {
  if (stopped_) return;
  if (pending_.empty()) {
    const std::size_t used = parse(chunk);
    offset_ += used;
    if (!stopped_) pending_.assign(chunk.begin() + static_cast<std::ptrdiff_t>(used), chunk.end());
    return;
  }
  pending_.insert(pending_.end(), chunk.begin(), chunk.end());
  const std::size_t used = parse(pending_);
  offset_ += used;
  if (stopped_) pending_.clear();
  else pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
}

void PcapReader::finish() {
  if (stopped_ || pending_.empty()) return;
  const bool header = have_header_ ? pending_.size() < kPcapRecordHeader : pending_.size() < kPcapGlobalHeader;
  callbacks_.on_reject(Reject{header ? "truncated_header" : "truncated_payload",
                              "file ends inside a " + std::string(have_header_ ? "record" : "global header") +
                                  " after " + std::to_string(pending_.size()) + " bytes",
                              offset_});
  offset_ += pending_.size();
  pending_.clear();
}

void PcapReader::stop(std::string reason, std::string detail, std::uint64_t offset) {
  stopped_ = true;
  callbacks_.on_reject(Reject{std::move(reason), std::move(detail), offset});
}

void PcapReader::skip(const char* kind) {
  if (callbacks_.on_skip) callbacks_.on_skip(Skip{kind});
}

bool PcapReader::global_header(std::span<const std::byte> h) {
  std::uint32_t magic;
  std::memcpy(&magic, h.data(), 4);
  switch (magic) {
    case 0xA1B2C3D4u: break;
    case 0xD4C3B2A1u: swapped_ = true; break;
    case 0xA1B23C4Du: nanos_ = true; break;
    case 0x4D3CB2A1u: swapped_ = nanos_ = true; break;
    case 0x0A0D0D0Au: stop("unsupported_container", "pcapng (convert with editcap -F pcap)", 0); return false;
    default: {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "0x%08X", magic);
      stop("unsupported_container", std::string("not a pcap file: magic ") + buf, 0);
      return false;
    }
  }
  linktype_ = u32(h, 20) & 0xFFFF;  // upper bits carry FCS information
  if (linktype_ != kLinktypeEthernet && linktype_ != kLinktypeLinuxSll) {
    stop("unsupported_linktype", "linktype " + std::to_string(linktype_), 20);
    return false;
  }
  have_header_ = true;
  return true;
}

std::size_t PcapReader::parse(std::span<const std::byte> b) {
  std::size_t pos = 0;
  if (!have_header_) {
    if (b.size() < kPcapGlobalHeader) return 0;
    if (!global_header(b)) return 0;
    pos = kPcapGlobalHeader;
  }
  while (b.size() - pos >= kPcapRecordHeader) {
    const auto rec = b.subspan(pos);
    const std::uint64_t offset = offset_ + pos;
    const std::uint32_t ts_sec = u32(rec, 0);
    const std::uint32_t ts_frac = u32(rec, 4);
    const std::uint32_t incl_len = u32(rec, 8);
    const std::uint32_t orig_len = u32(rec, 12);
    // A record longer than any snap length means the framing is lost: there is no resync point.
    if (incl_len > kPcapMaxRecord) {
      stop("bad_length", "record incl_len " + std::to_string(incl_len) + " exceeds " + std::to_string(kPcapMaxRecord),
           offset);
      return pos;
    }
    if (rec.size() - kPcapRecordHeader < incl_len) break;
    pos += kPcapRecordHeader + incl_len;
    if (incl_len < orig_len) {
      callbacks_.on_reject(Reject{"snap_truncated",
                                  "incl_len " + std::to_string(incl_len) + " < orig_len " + std::to_string(orig_len),
                                  offset});
      continue;
    }
    const std::int64_t time_ns = static_cast<std::int64_t>(ts_sec) * 1'000'000'000 +
                                 static_cast<std::int64_t>(ts_frac) * (nanos_ ? 1 : 1000);
    packet(rec.subspan(kPcapRecordHeader, incl_len), time_ns, offset);
  }
  return pos;
}

void PcapReader::packet(std::span<const std::byte> p, std::int64_t time_ns, std::uint64_t offset) {
  auto reject = [&](const char* reason, std::string detail) {
    callbacks_.on_reject(Reject{reason, std::move(detail), offset});
  };
  std::size_t l3 = 0;
  std::uint16_t ethertype = 0;
  if (linktype_ == kLinktypeEthernet) {
    if (p.size() < 14) return reject("truncated_header", "Ethernet header: " + std::to_string(p.size()) + " bytes");
    ethertype = be16(p, 12);
    l3 = 14;
    for (int tags = 0; tags < 2 && (ethertype == 0x8100 || ethertype == 0x88A8); ++tags) {  // VLAN tags
      if (p.size() < l3 + 4) return reject("truncated_header", "VLAN tag cut short");
      ethertype = be16(p, l3 + 2);
      l3 += 4;
    }
  } else {  // Linux cooked: 16-byte header, protocol at 14
    if (p.size() < 16) return reject("truncated_header", "SLL header: " + std::to_string(p.size()) + " bytes");
    ethertype = be16(p, 14);
    l3 = 16;
  }
  if (ethertype != 0x0800) return skip("pcap_non_ipv4");
  const auto ip = p.subspan(l3);
  if (ip.size() < 20) return reject("truncated_header", "IPv4 header: " + std::to_string(ip.size()) + " bytes");
  const unsigned version = std::uint8_t(ip[0]) >> 4;
  const std::size_t ihl = (std::uint8_t(ip[0]) & 0x0F) * 4u;
  const std::size_t total = be16(ip, 2);
  if (version != 4 || ihl < 20 || total < ihl || total > ip.size()) {
    return reject("bad_ip_header", "version " + std::to_string(version) + " ihl " + std::to_string(ihl) + " total " +
                                       std::to_string(total) + " of " + std::to_string(ip.size()) + " bytes");
  }
  if (std::uint8_t(ip[9]) != 17) return skip("pcap_non_udp");
  if ((be16(ip, 6) & 0x3FFF) != 0) return skip("pcap_ip_fragment");  // MF set or offset ≠ 0
  const auto udp = ip.subspan(ihl, total - ihl);  // drops Ethernet padding
  if (udp.size() < 8) return reject("truncated_header", "UDP header: " + std::to_string(udp.size()) + " bytes");
  const std::size_t udp_len = be16(udp, 4);
  if (udp_len < 8 || udp_len > udp.size()) {
    return reject("bad_udp_length", "UDP length " + std::to_string(udp_len) + " in " + std::to_string(udp.size()) +
                                        " bytes");
  }
  UdpPacket u;
  u.capture_time_ns = time_ns;
  u.src_ip = be32(ip, 12);
  u.dst_ip = be32(ip, 16);
  u.src_port = be16(udp, 0);
  u.dst_port = be16(udp, 2);
  u.payload = udp.subspan(8, udp_len - 8);
  u.trailing = ip.size() - total;
  u.offset = offset;
  if (callbacks_.on_udp) callbacks_.on_udp(u);
}

namespace {

class NexmonPcapDecoder final : public StreamDecoder {
 public:
  NexmonPcapDecoder(const DecodeContext& context, StreamCallbacks callbacks)
      : context_(context),
        callbacks_(std::move(callbacks)),
        reader_(PcapCallbacks{[this](const UdpPacket& u) { udp(u); },
                              [this](const Reject& r) { callbacks_.on_reject(r); },
                              [this](const Skip& s) {
                                if (callbacks_.on_skip) callbacks_.on_skip(s);
                              }}) {}

  void feed(std::span<const std::byte> chunk) override { reader_.feed(chunk); }
  void finish() override { reader_.finish(); }

 private:
  void udp(const UdpPacket& u) {
    if (u.dst_port != kNexmonUdpPort && u.src_port != kNexmonUdpPort) {
      if (callbacks_.on_skip) callbacks_.on_skip(Skip{"pcap_other_port"});
      return;
    }
    if (u.trailing != 0) {
      callbacks_.on_reject(Reject{"bad_length",
                                  "CSI section of " + std::to_string(u.payload.size() + u.trailing - kNexmonHeader) +
                                      " bytes: " + std::to_string(u.trailing) + " captured beyond the UDP length",
                                  u.offset});
      return;
    }
    auto r = decode_nexmon_udp(u.payload, context_, u.capture_time_ns);
    switch (r.kind) {
      case DatagramResult::Kind::frame: callbacks_.on_frame(std::move(r.frame)); break;
      case DatagramResult::Kind::skip:
        if (callbacks_.on_skip) callbacks_.on_skip(r.skip);
        break;
      case DatagramResult::Kind::reject:
        r.reject.offset = u.offset;
        callbacks_.on_reject(r.reject);
        break;
    }
  }

  DecodeContext context_;
  StreamCallbacks callbacks_;
  PcapReader reader_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_nexmon_pcap_decoder(const DecodeContext& context, StreamCallbacks callbacks) {
  return std::make_unique<NexmonPcapDecoder>(context, std::move(callbacks));
}

}  // namespace wdp::ingest
