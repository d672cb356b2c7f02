#pragma once
// nexmon_csi UDP payloads from Broadcom chips (../shared/docs/csi-wire-formats.md §7): an 18-byte
// header (magic 11 11, source MAC, sequence, core/stream, chanspec, chip) and one bin per FFT
// point in FFT order. int16 chips (43455c0, 4339) keep their samples as INT16_LE; packed-float
// chips (4358, 4366c0) are unpacked to FLOAT32_LE with the vendor reader's per-packet
// normalisation. The payload must be exactly 18 + 4·nfft bytes, so the 43455c0's odd 1028-byte
// CSI sections are rejected as "bad_length", as the vendor reader skips them.
#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::uint16_t kNexmonUdpPort = 5500;
inline constexpr std::size_t kNexmonHeader = 18;

// Live datagram: no sensor clock (sensor_time_ns stays 0).
DatagramResult decode_nexmon_udp(std::span<const std::byte> payload, const DecodeContext& context);

// From a capture file: `capture_time_ns` (ns since the Unix epoch, from the pcap record) becomes
// the frame's sensor time.
DatagramResult decode_nexmon_udp(std::span<const std::byte> payload, const DecodeContext& context,
                                 std::int64_t capture_time_ns);

}  // namespace wdp::ingest
