#include "authenticator.h"

namespace wdp::gateway {

AuthResult Authenticator::check(std::string_view authorization, std::string_view token, bool admin_required) const {
  std::string_view secret = token;
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() <= kBearer.size() ||
        authorization.substr(0, kBearer.size()) != kBearer) {
      return {AuthOutcome::kUnauthenticated, std::nullopt, "authorization must be 'Bearer <api key>'"};
    }
    secret = authorization.substr(kBearer.size());
  }
  if (secret.empty()) return {AuthOutcome::kUnauthenticated, std::nullopt, "missing API key"};
  auto key = keys_.authenticate(secret);
  if (!key) return {AuthOutcome::kUnauthenticated, std::nullopt, "invalid or revoked API key"};
  if (!limiter_.allow(key->key_id())) {
    return {AuthOutcome::kRateLimited, std::move(key), "rate limit exceeded"};
  }
  if (admin_required && !key->admin()) {
    return {AuthOutcome::kForbidden, std::move(key), "this route needs an admin key"};
  }
  return {AuthOutcome::kOk, std::move(key), {}};
}

}  // namespace wdp::gateway
