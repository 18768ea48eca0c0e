// One libpq connection: parameterized statements only, typed storage errors that never
// quote record values or the connection string, and a note of how the last statement
// failed so the pool can tell a dead connection from a real error. Internal header.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "myna/error.hpp"
#include "myna/secret.hpp"

namespace myna::internal::pg {

struct ResultFree {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgResultPtr = std::unique_ptr<PGresult, ResultFree>;

/// One statement parameter: text, raw bytes (sent in binary format, for bytea) or NULL.
struct Param {
  std::optional<std::string> value;
  bool binary = false;

  static Param text(std::string v) { return Param{std::move(v), false}; }
  static Param bytes(std::string v) { return Param{std::move(v), true}; }
  static Param null() { return Param{}; }
  static Param integer(std::int64_t v) { return text(std::to_string(v)); }
};

/// The rows of a successful statement (text format).
class Rows {
 public:
  explicit Rows(PgResultPtr result) : result_(std::move(result)) {}
  int size() const noexcept { return PQntuples(result_.get()); }
  bool empty() const noexcept { return size() == 0; }
  bool null(int row, int col) const noexcept { return PQgetisnull(result_.get(), row, col) != 0; }
  std::string_view text(int row, int col) const noexcept {
    return {PQgetvalue(result_.get(), row, col), static_cast<std::size_t>(PQgetlength(result_.get(), row, col))};
  }
  std::string str(int row, int col) const { return std::string(text(row, col)); }
  /// An integer column (0 when NULL or not a number).
  std::int64_t integer(int row, int col) const noexcept;
  /// Rows changed by an INSERT/UPDATE/DELETE without RETURNING.
  std::size_t affected() const noexcept;

 private:
  PgResultPtr result_;
};

/// How the last failed statement failed.
enum class Failure {
  none,
  connection_lost,  ///< the server went away (restart, network); the connection is dead
  conflict,         ///< serialization failure or deadlock: the transaction may be re-run
  other,
};

struct ConnectSettings {
  SecretString conninfo;
  int connect_timeout_s = 5;
  long statement_timeout_ms = 10000;
};

class Connection {
 public:
  /// Connects and sets the session's timeouts; storage errors name host and port only.
  static Result<std::unique_ptr<Connection>> open(const ConnectSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// One parameterized statement, prepared on this connection the first time it is used
  /// (PQprepare + PQexecPrepared; no parameters: PQexec). `what` names the operation in errors.
  Result<Rows> exec(const char* what, const char* sql, const std::vector<Param>& params = {});
  /// A constant multi-statement script without parameters (schema migrations only).
  Status exec_script(const char* what, const char* sql);
  /// ROLLBACK if a transaction is open; drops the error state.
  void rollback() noexcept;

  /// Starts counting for one pool operation (see retryable()).
  void begin_operation() noexcept;
  Failure failure() const noexcept { return failure_; }
  /// The operation may run again on another connection: a conflict, or the connection was
  /// found dead before any statement of this operation succeeded.
  bool retryable() const noexcept;
  bool broken() const noexcept;
  bool idle() const noexcept;  ///< connected and not inside a transaction
  /// Also counts statements into this counter (the pool's statistics).
  void count_into(std::atomic<std::uint64_t>* counter) noexcept { counter_ = counter; }
  PGconn* raw() noexcept { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Error failed(const char* what, const PGresult* result);
  Result<Rows> finish(const char* what, PgResultPtr result);
  /// The name of sql's prepared statement on this connection, preparing it if needed.
  Result<const std::string*> prepared(const char* what, const char* sql, int params);

  PGconn* conn_;
  Failure failure_ = Failure::none;
  int ok_in_operation_ = 0;
  std::atomic<std::uint64_t>* counter_ = nullptr;
  std::unordered_map<std::string, std::string> statements_;  // SQL text → prepared statement name
};

/// BEGIN; fn(); COMMIT — ROLLBACK when fn fails. fn returns a Result or a Status.
template <class Fn>
auto transaction(Connection& c, const char* what, Fn&& fn) -> decltype(fn()) {
  if (auto begun = c.exec(what, "BEGIN"); !begun) return std::move(begun).error();
  auto out = fn();
  if (!out) {
    c.rollback();
    return out;
  }
  if (auto committed = c.exec(what, "COMMIT"); !committed) return std::move(committed).error();
  return out;
}

/// The one-line reason libpq gave for a failed connect (no connection string in it).
std::string connect_failure_text(PGconn* conn);

}  // namespace myna::internal::pg
