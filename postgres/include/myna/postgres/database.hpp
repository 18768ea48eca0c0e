// The PostgreSQL component (CMake target MynaPortal::postgres, needs libpq): state that
// several application instances share — retrievals, tokens, fetched records and a work
// queue. A Database is one instance's small connection pool plus the schema the stores use
// (created and migrated on open). See docs/scale-out.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "myna/error.hpp"
#include "myna/log.hpp"
#include "myna/postgres/export.hpp"
#include "myna/secret.hpp"

namespace myna::pg {

struct DatabaseOptions {
  /// libpq connection string or URI, e.g. "host=db.internal dbname=phr user=myna" or
  /// "postgresql://myna@db.internal/phr". It may hold a password: it is never logged and
  /// never part of an error message.
  SecretString conninfo;
  /// Connections this instance opens at most (opened on demand, kept open).
  std::size_t pool_size = 4;
  /// libpq connect_timeout (whole seconds, at least 2).
  std::chrono::seconds connect_timeout{5};
  /// Server-side statement_timeout of every pooled connection.
  std::chrono::milliseconds statement_timeout{std::chrono::seconds(10)};
  /// How long an operation waits for a free pooled connection.
  std::chrono::milliseconds acquire_timeout{std::chrono::seconds(10)};
  /// Create or upgrade the schema on open (serialised across instances by an advisory lock).
  bool migrate = true;
  Logger logger;
};

/// Counters of one pool (for monitoring and tests).
struct DatabaseStats {
  std::size_t open_connections = 0;  ///< connected, idle or in use
  std::size_t idle_connections = 0;
  std::uint64_t connects = 0;          ///< successful connects (first ones and reconnects)
  std::uint64_t lost_connections = 0;  ///< connections found dead (server restart, network)
  std::uint64_t statements = 0;        ///< statements sent
};

/// Thread-safe: one Database (its connection pool) serves every store, sink and queue of the
/// process at once.
class MYNA_PG_API Database {
 public:
  /// Connects once (to fail early with a clear error) and migrates the schema. Errors are
  /// ErrorCategory::storage (unreachable server, refused login, schema newer than the SDK)
  /// or validation (bad options).
  static Result<std::shared_ptr<Database>> open(DatabaseOptions options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// The version recorded in myna_schema_version (0 when the schema was never created).
  Result<int> schema_version();
  /// The version this SDK creates and understands.
  static int latest_schema_version() noexcept;
  /// Creates or upgrades the schema (open() does this unless options.migrate is false).
  Status migrate();
  /// One round trip (SELECT 1) through the pool.
  Status ping();
  DatabaseStats stats() const;

  struct MYNA_PG_NO_EXPORT Impl;  ///< internal (the component's stores use it)
  Impl& impl() const noexcept { return *impl_; }

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace myna::pg
