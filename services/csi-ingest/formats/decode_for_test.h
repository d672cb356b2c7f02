#pragma once
// Helpers the format tests share: read a capture, and run a stream decoder over bytes fed in
// chunks of a given size, collecting what it reports.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <vector>

#include "formats/decoder.h"

namespace wdp::ingest::testing {

using Bytes = std::vector<std::byte>;

inline Bytes read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<char> c((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Bytes b(c.size());
  if (!c.empty()) std::memcpy(b.data(), c.data(), c.size());
  return b;
}

struct Collected {
  std::vector<v1::CsiFrame> frames;
  std::vector<Reject> rejects;
  std::vector<Skip> skips;
};

// Feeds `data` in chunks of `chunk` bytes (0 = all at once) to the decoder `make` builds.
template <class Make>
Collected decode_chunked(Make make, std::span<const std::byte> data, std::size_t chunk = 0, const DecodeContext& ctx = {}) {
  Collected c;
  auto d = make(ctx, StreamCallbacks{[&](v1::CsiFrame&& f) { c.frames.push_back(std::move(f)); },
                                     [&](const Reject& r) { c.rejects.push_back(r); },
                                     [&](const Skip& s) { c.skips.push_back(s); }});
  if (chunk == 0) chunk = data.size() + 1;
  for (std::size_t i = 0; i < data.size(); i += chunk) d->feed(data.subspan(i, std::min(chunk, data.size() - i)));
  d->finish();
  return c;
}

}  // namespace wdp::ingest::testing
