#pragma once
// espectre dataset files (.npz written by numpy.savez_compressed; wire doc §5.1): a ZIP archive
// whose members are .npy arrays. csi_data.npy is int8 (N, 2·n_sc): one row per packet, ESP-IDF
// (imag, real) pairs. There are no per-packet timestamps, so frame i gets the sensor time
// i · duration_ms / N (uniform spacing, as the format's author documents) and sequence i.
// The chip member selects the buffer layout (C6: one block ordered −32…+31).
//
// ZIP needs the central directory at the end, so the decoder buffers the file (at most 256 MiB)
// and decodes in finish().
#include "formats/decoder.h"

namespace wdp::ingest {

std::unique_ptr<StreamDecoder> make_espectre_npz_decoder(const DecodeContext& context, StreamCallbacks callbacks);

}  // namespace wdp::ingest
