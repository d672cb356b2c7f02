#pragma once
// Linux 802.11n CSI Tool `.dat` files for the Intel 5300 (../shared/docs/csi-wire-formats.md §6):
// records `[u16 BE field_len][code][body]`. Code 0xBB (beamforming feedback) decodes to CsiFrame;
// other codes are skipped by their length. Samples are the raw bit-packed int8 pairs with the
// antenna permutation applied; `scale` is the get_scaled_csi factor, so raw · scale reproduces the
// CSI Tool's scaled CSI.
#include "formats/decoder.h"

namespace wdp::ingest {

inline constexpr std::uint8_t kIntel5300BfeeCode = 0xBB;
inline constexpr std::size_t kIntel5300BfeeHeader = 20;  // body bytes before the packed payload
inline constexpr std::uint32_t kIntel5300Groups = 30;    // 802.11n subcarrier groups per (rx, tx)

// Packed payload bytes for Nrx·Ntx matrices of 30 groups (each group has a 3-bit header).
constexpr std::size_t intel5300_payload_len(std::uint32_t n_rx, std::uint32_t n_tx) {
  return (kIntel5300Groups * (n_rx * n_tx * 16 + 3) + 7) / 8;
}

std::unique_ptr<StreamDecoder> make_intel5300_decoder(const DecodeContext& context, StreamCallbacks callbacks);

}  // namespace wdp::ingest
