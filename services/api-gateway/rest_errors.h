#pragma once
// JSON error bodies shared by the REST routes and the WebSocket upgrade:
// {"error":{"code":<http status>,"status":"<gRPC-style name>","message":"..."}}.
#include <string>

#include "authenticator.h"
#include "gateway_core.h"
#include "http_types.h"

namespace wdp::gateway {

HttpResponse error_response(int status, const std::string& message);
HttpResponse auth_error_response(const AuthResult& a);  // 401 / 403 / 429 (+ Retry-After)
HttpResponse api_error_response(const ApiError& e);
int http_status_of(ErrorCode c);

}  // namespace wdp::gateway
