#include "schema.h"

namespace wdp::gateway {
namespace {

// Events keep indexed columns for filtering and the whole wdp.v1.Event as protobuf bytes.
constexpr const char* kV1 = R"sql(
CREATE TABLE nodes(
  node_id TEXT PRIMARY KEY, first_seen_ns INTEGER NOT NULL, last_seen_ns INTEGER NOT NULL,
  frame_rate_hz REAL NOT NULL DEFAULT 0);
CREATE TABLE sessions(
  id INTEGER PRIMARY KEY, started_ns INTEGER NOT NULL, stopped_ns INTEGER NOT NULL DEFAULT 0,
  pid INTEGER NOT NULL, instance TEXT NOT NULL);
CREATE TABLE events(
  id INTEGER PRIMARY KEY, time_ns INTEGER NOT NULL, node_id TEXT NOT NULL, kind INTEGER NOT NULL,
  session_id INTEGER REFERENCES sessions(id), body BLOB NOT NULL);
CREATE INDEX events_time ON events(time_ns, id);
CREATE TABLE api_keys(
  key_id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, admin INTEGER NOT NULL,
  created_ns INTEGER NOT NULL, revoked_ns INTEGER NOT NULL DEFAULT 0);
CREATE TABLE recordings(
  session_id TEXT PRIMARY KEY, started_ns INTEGER NOT NULL, state INTEGER NOT NULL, body BLOB NOT NULL);
)sql";

// Recordings are listed newest first; retention deletes sessions by start time.
constexpr const char* kV2 = R"sql(
CREATE INDEX recordings_started ON recordings(started_ns);
CREATE INDEX sessions_started ON sessions(started_ns);
)sql";

constexpr const char* kMigrations[] = {kV1, kV2};

}  // namespace

std::span<const char* const> schema_migrations() { return kMigrations; }

}  // namespace wdp::gateway
