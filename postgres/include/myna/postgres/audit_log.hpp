// The audit trail in PostgreSQL: one row per retrieval in myna_audit (telegram and process
// ids, the citizen key, record type, query range, when requested / notified / fetched,
// attempts, bytes, records, issue counts per kind, instance, outcome). Wire it as the
// client's audit sink:
//
//   auto audit = myna::pg::AuditLog::create(db).value();
//   options.audit = audit->sink(options.logger);
//
// A row never holds a record value or a secret. See docs/integration.md (audit trail).
#pragma once

#include <memory>

#include "myna/log.hpp"
#include "myna/postgres/database.hpp"
#include "myna/postgres/export.hpp"
#include "myna/retrieval_info.hpp"

namespace myna::pg {

/// Thread-safe: each write takes a connection of the Database's pool.
class MYNA_PG_API AuditLog {
 public:
  static Result<std::shared_ptr<AuditLog>> create(std::shared_ptr<Database> db);
  ~AuditLog();

  /// Writes one event. A retrieval with a telegram id is written once: writing the same
  /// telegram id again changes nothing (a retried write after a lost connection).
  Status write(const AuditEvent& event);

  /// An AuditSink for ClientOptions::audit that writes each event; a failed write is logged
  /// (warn) with the telegram id, and the retrieval's result is not affected.
  AuditSink sink(Logger logger = {});

 private:
  explicit AuditLog(std::shared_ptr<Database> db);
  std::shared_ptr<Database> db_;
};

}  // namespace myna::pg
