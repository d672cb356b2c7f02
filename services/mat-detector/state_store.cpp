#include "state_store.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace wdp::mat {

StateStore::StateStore(std::string dir) : dir_(std::move(dir)) {
  if (!dir_.empty()) std::filesystem::create_directories(dir_);
}

std::vector<v1::MatEvent> StateStore::load() const {
  std::vector<v1::MatEvent> out;
  if (!enabled()) return out;
  std::ifstream in(path(), std::ios::binary);
  if (!in) return out;
  std::string buf;
  for (;;) {
    unsigned char len_bytes[4];
    if (!in.read(reinterpret_cast<char*>(len_bytes), 4)) break;
    const std::uint32_t len = len_bytes[0] | (len_bytes[1] << 8) | (len_bytes[2] << 16) | (std::uint32_t(len_bytes[3]) << 24);
    if (len > (64u << 20)) throw std::runtime_error("corrupt state file '" + path() + "': record of " + std::to_string(len) + " bytes");
    buf.resize(len);
    if (!in.read(buf.data(), len)) throw std::runtime_error("corrupt state file '" + path() + "': truncated record");
    if (!out.emplace_back().ParseFromString(buf)) throw std::runtime_error("corrupt state file '" + path() + "': bad record");
  }
  return out;
}

void StateStore::save(const std::vector<v1::MatEvent>& snapshot) const {
  if (!enabled()) return;
  const std::string tmp = path() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write '" + tmp + "'");
    std::string bytes;
    for (const auto& e : snapshot) {
      e.SerializeToString(&bytes);
      const auto n = static_cast<std::uint32_t>(bytes.size());
      const unsigned char len[4] = {static_cast<unsigned char>(n), static_cast<unsigned char>(n >> 8),
                                    static_cast<unsigned char>(n >> 16), static_cast<unsigned char>(n >> 24)};
      out.write(reinterpret_cast<const char*>(len), 4);
      out.write(bytes.data(), bytes.size());
    }
    if (!out.flush()) throw std::runtime_error("cannot write '" + tmp + "'");
  }
  std::filesystem::rename(tmp, path());
}

}  // namespace wdp::mat
