#pragma once
// API keys: "wdp_" + 64 hex chars of 32 random bytes (OpenSSL RAND_bytes). Only the SHA-256 of a
// key is stored; its public id is the first 12 hex chars of that hash. Valid keys are cached in
// memory, so authenticating a request costs one hash and one map lookup, no database access.
//
// Thread safety: all methods may be called from any thread.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store.h"

namespace wdp::gateway {

std::string sha256_hex(std::string_view data);
std::string generate_key_secret();

class KeyRing {
 public:
  explicit KeyRing(Store& store);  // loads the key table

  v1::CreateApiKeyResponse create(const std::string& name, bool admin);
  std::vector<v1::ApiKey> list() const;
  std::optional<v1::ApiKey> revoke(const std::string& key_id);  // nullopt if unknown or revoked
  std::optional<v1::ApiKey> authenticate(std::string_view secret) const;
  bool empty() const;

  // Secure default for `./wdp up`: if `file` is missing, creates an admin key and writes it
  // there (mode 0600); if it exists, registers its key unless already known. Returns the key id.
  std::string ensure_admin_key_file(const std::filesystem::path& file);

 private:
  void add(const StoredKey& k);

  Store& store_;
  mutable std::mutex mutex_;
  std::map<std::string, v1::ApiKey, std::less<>> valid_by_hash_;
};

}  // namespace wdp::gateway
