#pragma once
// The gateway database schema as an ordered list of migrations; PRAGMA user_version records how
// many have been applied. Append new migrations, never edit applied ones.
#include <span>

namespace wdp::gateway {

std::span<const char* const> schema_migrations();

}  // namespace wdp::gateway
