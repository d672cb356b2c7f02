#include "rest_errors.h"

#include <nlohmann/json.hpp>

namespace wdp::gateway {
namespace {
const char* status_name(int status) {
  switch (status) {
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 409: return "FAILED_PRECONDITION";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 429: return "RESOURCE_EXHAUSTED";
    case 503: return "UNAVAILABLE";
    case 504: return "DEADLINE_EXCEEDED";
    default: return status >= 500 ? "INTERNAL" : "UNKNOWN";
  }
}
}  // namespace

HttpResponse error_response(int status, const std::string& message) {
  nlohmann::json j;
  j["error"] = {{"code", status}, {"status", status_name(status)}, {"message", message}};
  return HttpResponse{status, "application/json", j.dump() + "\n", {}};
}

HttpResponse auth_error_response(const AuthResult& a) {
  switch (a.outcome) {
    case AuthOutcome::kForbidden: return error_response(403, a.message);
    case AuthOutcome::kRateLimited: {
      auto r = error_response(429, a.message);
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    default: {
      auto r = error_response(401, a.message);
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
  }
}

int http_status_of(ErrorCode c) {
  switch (c) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kTimeout: return 504;
    case ErrorCode::kRejected: return 409;
    default: return 500;
  }
}

HttpResponse api_error_response(const ApiError& e) { return error_response(http_status_of(e.code), e.message); }

}  // namespace wdp::gateway
