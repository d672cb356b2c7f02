#pragma once
// A thin RAII layer over one SQLite connection: open with WAL, exec, prepared statements, and
// versioned migrations (PRAGMA user_version counts the migrations applied).
//
// Thread safety: one thread at a time per Db (callers hold a mutex or own a thread).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace wdp::gateway::sql {

class Db {
 public:
  // Opens (creating) `path` in WAL mode with synchronous=NORMAL: a committed transaction survives
  // the process being killed; only an OS crash may lose the last one. Throws std::runtime_error.
  explicit Db(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  // Applies migrations[user_version..] each in its own transaction; returns the new version.
  int migrate(std::span<const char* const> migrations);
  int user_version();
  std::int64_t last_insert_rowid() const;
  int changes() const;  // rows changed by the last statement
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// A prepared statement that finalizes itself. Bind indices start at 1, columns at 0.
class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, double v);
  Stmt& bind_blob(int i, std::string_view v);
  bool step();   // true while a row is available; throws on error
  void reset();  // ready to bind and step again
  std::int64_t i64(int col) const;
  double f64(int col) const;
  std::string text(int col) const;  // also reads blobs

 private:
  Db& db_;
  sqlite3_stmt* s_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if the scope is left by an exception.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace wdp::gateway::sql
