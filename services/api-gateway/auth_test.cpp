// API keys (hashing, creation, revocation, the admin key file), the token bucket and the
// authentication decision shared by HTTP and gRPC.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "api_keys.h"
#include "authenticator.h"
#include "rate_limiter.h"

namespace wdp::gateway {
namespace {

namespace fs = std::filesystem;

struct TempDb {
  fs::path dir = fs::temp_directory_path() / ("gw-auth-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDb() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~TempDb() { fs::remove_all(dir); }
  std::string db() const { return (dir / "gw.db").string(); }
};

TEST(ApiKeys, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeys, SecretsAreRandomAndWellFormed) {
  const auto a = generate_key_secret(), b = generate_key_secret();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 4u + 64u);
  EXPECT_TRUE(a.starts_with("wdp_"));
}

TEST(ApiKeys, OnlyTheHashIsStoredAndRevocationIsImmediate) {
  TempDb t;
  Store store(t.db());
  KeyRing ring(store);
  const auto created = ring.create("alice", false);
  const auto rows = store.keys();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].hash, sha256_hex(created.secret()));
  EXPECT_EQ(rows[0].hash.find(created.secret()), std::string::npos);
  EXPECT_EQ(created.key().key_id(), rows[0].hash.substr(0, 12));

  ASSERT_TRUE(ring.authenticate(created.secret()));
  EXPECT_EQ(ring.authenticate(created.secret())->name(), "alice");
  EXPECT_FALSE(ring.authenticate(created.secret() + "x"));
  EXPECT_TRUE(ring.revoke(created.key().key_id()));
  EXPECT_FALSE(ring.authenticate(created.secret()));
  EXPECT_FALSE(ring.revoke(created.key().key_id()));  // already revoked

  KeyRing reloaded(store);  // revocation persisted
  EXPECT_FALSE(reloaded.authenticate(created.secret()));
  EXPECT_THROW(ring.create("", false), std::invalid_argument);
}

TEST(ApiKeys, AdminKeyFileIsCreatedPrivateAndReRegistered) {
  TempDb t;
  const auto file = t.dir / "run" / "admin.key";
  std::string secret;
  {
    Store store(t.db());
    KeyRing ring(store);
    const auto id = ring.ensure_admin_key_file(file);
    ASSERT_TRUE(fs::exists(file));
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    std::ifstream(file) >> secret;
    ASSERT_TRUE(ring.authenticate(secret));
    EXPECT_TRUE(ring.authenticate(secret)->admin());
    EXPECT_EQ(ring.ensure_admin_key_file(file), id);  // existing file: same key, nothing new
    EXPECT_EQ(store.keys().size(), 1u);
  }
  // A fresh database with the old file: the key is registered again.
  fs::remove(t.db());
  Store store(t.db());
  KeyRing ring(store);
  ring.ensure_admin_key_file(file);
  ASSERT_TRUE(ring.authenticate(secret));
  EXPECT_TRUE(ring.authenticate(secret)->admin());
}

TEST(RateLimiter, BurstThenRefillAtTheRate) {
  RateLimiter rl(10.0, 3.0);
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::seconds(100);
  EXPECT_TRUE(rl.allow("k", t0));
  EXPECT_TRUE(rl.allow("k", t0));
  EXPECT_TRUE(rl.allow("k", t0));
  EXPECT_FALSE(rl.allow("k", t0));                                  // burst of 3 spent
  EXPECT_TRUE(rl.allow("other", t0));                               // buckets are per key
  EXPECT_FALSE(rl.allow("k", t0 + std::chrono::milliseconds(50)));  // 0.5 token
  EXPECT_TRUE(rl.allow("k", t0 + std::chrono::milliseconds(100)));  // 1 token after 100 ms at 10/s
  EXPECT_FALSE(rl.allow("k", t0 + std::chrono::milliseconds(100)));
  // Refill is capped at the burst.
  const auto later = t0 + std::chrono::seconds(60);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rl.allow("k", later));
  EXPECT_FALSE(rl.allow("k", later));
  RateLimiter off(0, 1);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(off.allow("k"));
}

TEST(Authenticator, DecidesUnauthenticatedForbiddenLimitedOk) {
  TempDb t;
  Store store(t.db());
  KeyRing ring(store);
  RateLimiter rl(0.001, 2);
  Authenticator auth(ring, rl);
  const auto user = ring.create("user", false);
  const auto admin = ring.create("admin", true);
  EXPECT_EQ(auth.check("", "", false).outcome, AuthOutcome::kUnauthenticated);
  EXPECT_EQ(auth.check("Bearer wrong", "", false).outcome, AuthOutcome::kUnauthenticated);
  EXPECT_EQ(auth.check("Basic " + user.secret(), "", false).outcome, AuthOutcome::kUnauthenticated);
  EXPECT_EQ(auth.check("Bearer " + user.secret(), "", false).outcome, AuthOutcome::kOk);
  EXPECT_EQ(auth.check("", user.secret(), true).outcome, AuthOutcome::kForbidden);  // ?access_token=
  EXPECT_EQ(auth.check("", user.secret(), false).outcome, AuthOutcome::kRateLimited);  // burst 2 spent
  EXPECT_EQ(auth.check("Bearer " + admin.secret(), "", true).outcome, AuthOutcome::kOk);
}

}  // namespace
}  // namespace wdp::gateway
