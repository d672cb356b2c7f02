#pragma once
// One decision for HTTP and gRPC alike: which key (if any) a request carries, whether it may use
// the route, and whether its rate limit allows it.
#include <optional>
#include <string>
#include <string_view>

#include "api_keys.h"
#include "rate_limiter.h"

namespace wdp::gateway {

enum class AuthOutcome { kOk, kUnauthenticated, kForbidden, kRateLimited };

struct AuthResult {
  AuthOutcome outcome = AuthOutcome::kUnauthenticated;
  std::optional<v1::ApiKey> key;
  std::string message;
};

class Authenticator {
 public:
  Authenticator(const KeyRing& keys, RateLimiter& limiter) : keys_(keys), limiter_(limiter) {}

  // `authorization` is the header / metadata value ("Bearer <key>"); `token` the ?access_token=
  // query value (browsers' WebSockets cannot set headers). Either may be empty.
  AuthResult check(std::string_view authorization, std::string_view token, bool admin_required) const;

 private:
  const KeyRing& keys_;
  RateLimiter& limiter_;
};

}  // namespace wdp::gateway
