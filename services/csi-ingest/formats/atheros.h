#pragma once
// Atheros CSI Tool `.dat` files (ath9k; ../shared/docs/csi-wire-formats.md §8): records
// `[u16 field_len][25-byte header][csi][802.11 frame]` with no magic, header fields in the byte
// order of the logging host. The order is detected once per stream from the first record whose
// lengths are self-consistent. CSI is 10-bit two's complement, tone-outer, kept as INT16_LE.
#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::size_t kAtherosHeader = 25;  // after the u16 field_len

// Packed CSI bytes for num_tones · nr · nc complex values of 2 × 10 bits.
constexpr std::size_t atheros_csi_bytes(std::uint32_t tones, std::uint32_t nr, std::uint32_t nc) {
  return (20 * std::size_t{tones} * nr * nc + 7) / 8;
}

std::unique_ptr<StreamDecoder> make_atheros_decoder(const DecodeContext& context, StreamCallbacks callbacks);

}  // namespace wdp::ingest
