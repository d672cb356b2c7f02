#include "api_keys.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "wdp/bus/clock.h"

namespace wdp::gateway {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hex(md, len);
}

std::string generate_key_secret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes for a key");
  return "wdp_" + hex(bytes, sizeof bytes);
}

KeyRing::KeyRing(Store& store) : store_(store) {
  for (const auto& k : store_.keys()) add(k);
}

void KeyRing::add(const StoredKey& k) {
  if (k.key.revoked_ns() != 0) return;
  std::lock_guard lock(mutex_);
  valid_by_hash_[k.hash] = k.key;
}

v1::CreateApiKeyResponse KeyRing::create(const std::string& name, bool admin) {
  if (name.empty() || name.size() > 128) throw std::invalid_argument("key name must be 1..128 characters");
  v1::CreateApiKeyResponse r;
  r.set_secret(generate_key_secret());
  StoredKey k;
  k.hash = sha256_hex(r.secret());
  k.key.set_key_id(k.hash.substr(0, 12));
  k.key.set_name(name);
  k.key.set_admin(admin);
  k.key.set_created_ns(bus::wall_ns());
  store_.insert_key(k);  // committed before the secret is shown to anyone
  add(k);
  *r.mutable_key() = k.key;
  return r;
}

std::vector<v1::ApiKey> KeyRing::list() const {
  std::vector<v1::ApiKey> out;
  for (auto& k : store_.keys()) out.push_back(std::move(k.key));
  return out;
}

std::optional<v1::ApiKey> KeyRing::revoke(const std::string& key_id) {
  if (!store_.revoke_key(key_id, bus::wall_ns())) return std::nullopt;
  std::lock_guard lock(mutex_);
  for (auto it = valid_by_hash_.begin(); it != valid_by_hash_.end(); ++it) {
    if (it->second.key_id() == key_id) {
      auto k = it->second;
      valid_by_hash_.erase(it);
      k.set_revoked_ns(bus::wall_ns());
      return k;
    }
  }
  return std::nullopt;
}

std::optional<v1::ApiKey> KeyRing::authenticate(std::string_view secret) const {
  if (secret.empty() || secret.size() > 256) return std::nullopt;
  const auto h = sha256_hex(secret);
  std::lock_guard lock(mutex_);
  const auto it = valid_by_hash_.find(h);
  if (it == valid_by_hash_.end()) return std::nullopt;
  return it->second;
}

bool KeyRing::empty() const {
  std::lock_guard lock(mutex_);
  return valid_by_hash_.empty();
}

std::string KeyRing::ensure_admin_key_file(const std::filesystem::path& file) {
  if (std::filesystem::exists(file)) {
    std::ifstream in(file);
    std::string secret;
    std::getline(in, secret);
    secret = trim(secret);
    if (secret.empty()) throw std::runtime_error("admin key file " + file.string() + " is empty");
    if (auto k = authenticate(secret)) return k->key_id();
    const auto h = sha256_hex(secret);
    for (const auto& k : store_.keys()) {
      if (k.hash == h) throw std::runtime_error("the key in " + file.string() + " was revoked");
    }
    StoredKey k;
    k.hash = h;
    k.key.set_key_id(h.substr(0, 12));
    k.key.set_name("admin (" + file.filename().string() + ")");
    k.key.set_admin(true);
    k.key.set_created_ns(bus::wall_ns());
    store_.insert_key(k);
    add(k);
    spdlog::info("registered the admin key from {} (id {})", file.string(), k.key.key_id());
    return k.key.key_id();
  }
  auto created = create("admin", true);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create admin key file " + file.string());
  const std::string line = created.secret() + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write admin key file " + file.string());
  spdlog::info("created admin key {} and wrote it to {} (mode 0600)", created.key().key_id(), file.string());
  return created.key().key_id();
}

}  // namespace wdp::gateway
