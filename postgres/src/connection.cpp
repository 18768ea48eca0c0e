#include "connection.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstring>

namespace myna::internal::pg {
namespace {

/// SQLSTATE classes whose primary message never quotes data values (22 data exceptions and
/// 23 constraint violations do, so their messages stay out of errors).
bool message_is_safe(std::string_view sqlstate) {
  static constexpr std::string_view kSafe[] = {"08", "28", "3D", "3F", "42", "53", "54", "55", "57", "58", "XX"};
  const std::string_view cls = sqlstate.substr(0, 2);
  return std::find(std::begin(kSafe), std::end(kSafe), cls) != std::end(kSafe);
}

/// Connection exceptions and the server's own shutdown messages.
bool is_connection_state(std::string_view sqlstate) {
  return sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

/// libpq's multi-line messages as one bounded line.
std::string one_line(const char* text) {
  std::string out;
  bool space = false;
  for (const char* p = text ? text : ""; *p && out.size() < 300; ++p) {
    const bool ws = *p == '\n' || *p == '\t' || *p == '\r' || *p == ' ';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(*p);
  }
  return out;
}

/// Checks the connection string without echoing it: libpq's parse errors quote fragments,
/// which may be a password.
Status check_conninfo(const std::string& conninfo) {
  char* message = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &message);
  if (message) PQfreemem(message);
  if (!parsed) {
    // A plain word is a database name, which PQconninfoParse does not accept on its own.
    if (conninfo.find('=') == std::string::npos && conninfo.find("://") == std::string::npos) return {};
    return Error(ErrorCategory::validation,
                 "the database connection string is malformed (key=value pairs or a postgresql:// URI)");
  }
  PQconninfoFree(parsed);
  return {};
}

}  // namespace

std::int64_t Rows::integer(int row, int col) const noexcept {
  const std::string_view t = text(row, col);
  std::int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

std::size_t Rows::affected() const noexcept {
  const char* n = PQcmdTuples(result_.get());
  std::size_t v = 0;
  if (n) std::from_chars(n, n + std::strlen(n), v);
  return v;
}

std::string connect_failure_text(PGconn* conn) { return one_line(PQerrorMessage(conn)); }

Result<std::unique_ptr<Connection>> Connection::open(const ConnectSettings& settings) {
  std::string conninfo(settings.conninfo.reveal());
  if (Status st = check_conninfo(conninfo); !st) {
    wipe(conninfo);
    return std::move(st).error();
  }
  const std::string timeout = std::to_string(std::max(2, settings.connect_timeout_s));
  // Keepalives notice a silently dead peer (the LISTEN connection idles); the connection
  // string may override them, not the timeout and the encoding that follow it.
  const char* keys[] = {"keepalives_idle", "keepalives_interval", "keepalives_count",          "dbname",
                        "connect_timeout", "client_encoding",     "fallback_application_name", nullptr};
  const char* values[] = {"30", "10", "3", conninfo.c_str(), timeout.c_str(), "UTF8", "mynaportal", nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, 1);
  wipe(conninfo);
  if (!raw) return Error(ErrorCategory::storage, "cannot connect to the database: out of memory");
  std::unique_ptr<Connection> c(new Connection(raw));
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);  // NOTICEs are not errors; keep stderr clean
  if (PQstatus(raw) != CONNECTION_OK)
    return Error(ErrorCategory::storage, "cannot connect to the database: " + connect_failure_text(raw) +
                                             "; check that the server runs and the connection settings");
  const long idle_ms = std::max(60000L, settings.statement_timeout_ms * 3);
  // bytea_output: the token store reads bytea in hex whatever the server's default.
  auto set = c->exec("setting the session's timeouts",
                     "SELECT set_config('statement_timeout', $1, false), "
                     "set_config('idle_in_transaction_session_timeout', $2, false), "
                     "set_config('bytea_output', 'hex', false)",
                     {Param::integer(settings.statement_timeout_ms), Param::integer(idle_ms)});
  if (!set) return std::move(set).error();
  return c;
}

Connection::~Connection() { PQfinish(conn_); }

Result<Rows> Connection::exec(const char* what, const char* sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const Param& p : params) {
    // libpq sends text parameters up to their first NUL: refuse rather than truncate.
    if (p.value && !p.binary && p.value->find('\0') != std::string::npos)
      return Error(ErrorCategory::validation, std::string(what) +
                                                  ": a value contains a NUL character, which "
                                                  "PostgreSQL text cannot hold");
    values.push_back(p.value ? p.value->c_str() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(std::min<std::size_t>(p.value->size(), INT_MAX)) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  if (counter_) ++*counter_;
  if (params.empty()) return finish(what, PgResultPtr(PQexec(conn_, sql)));
  auto name = prepared(what, sql, static_cast<int>(params.size()));
  if (!name) return std::move(name).error();
  return finish(what, PgResultPtr(PQexecPrepared(conn_, (*name)->c_str(), static_cast<int>(params.size()),
                                                 values.data(), lengths.data(), formats.data(), 0)));
}

Result<const std::string*> Connection::prepared(const char* what, const char* sql, int params) {
  const auto found = statements_.find(sql);
  if (found != statements_.end()) return &found->second;
  std::string name = "myna_" + std::to_string(statements_.size() + 1);
  auto done = finish(what, PgResultPtr(PQprepare(conn_, name.c_str(), sql, params, nullptr)));
  if (!done) return std::move(done).error();
  return &statements_.emplace(sql, std::move(name)).first->second;
}

Result<Rows> Connection::finish(const char* what, PgResultPtr result) {
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    ++ok_in_operation_;
    failure_ = Failure::none;
    return Rows(std::move(result));
  }
  return failed(what, result.get());
}

Status Connection::exec_script(const char* what, const char* sql) {
  if (counter_) ++*counter_;
  auto done = finish(what, PgResultPtr(PQexec(conn_, sql)));
  if (!done) return std::move(done).error();
  return {};
}

Error Connection::failed(const char* what, const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  if (broken() || is_connection_state(sqlstate)) {
    failure_ = Failure::connection_lost;
    return Error(ErrorCategory::storage, std::string("lost the database connection while ") + what + " (" +
                                             one_line(PQerrorMessage(conn_)) + "); the next call reconnects");
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    failure_ = Failure::conflict;
    return Error(ErrorCategory::storage, std::string(what) +
                                             ": the transaction conflicted with a concurrent one (SQLSTATE " +
                                             sqlstate + ") and was rolled back");
  }
  failure_ = Failure::other;
  if (sqlstate == "57014")
    return Error(ErrorCategory::storage,
                 std::string(what) + ": the database did not answer within the statement timeout (SQLSTATE 57014)");
  std::string message = std::string(what) + " failed in the database (SQLSTATE " + sqlstate + ")";
  if (message_is_safe(sqlstate)) message += ": " + one_line(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
  return Error(ErrorCategory::storage, message);
}

void Connection::rollback() noexcept {
  const PGTransactionStatusType t = PQtransactionStatus(conn_);
  if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR) PgResultPtr(PQexec(conn_, "ROLLBACK"));
}

void Connection::begin_operation() noexcept {
  failure_ = Failure::none;
  ok_in_operation_ = 0;
}

bool Connection::retryable() const noexcept {
  return failure_ == Failure::conflict || (failure_ == Failure::connection_lost && ok_in_operation_ == 0);
}

bool Connection::broken() const noexcept { return PQstatus(conn_) != CONNECTION_OK; }

bool Connection::idle() const noexcept { return !broken() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

}  // namespace myna::internal::pg
