// The PostgreSQL component (MynaPortal::postgres / mynaportal-postgres): links and reports the
// schema version it creates; with no server to open, Database::open fails with a typed error.
#include <iostream>

#include <myna/postgres/database.hpp>

int main() {
  std::cout << "schema version " << myna::pg::Database::latest_schema_version() << '\n';
  myna::pg::DatabaseOptions options;
  options.conninfo = myna::SecretString("host=/nonexistent-socket-dir dbname=none connect_timeout=2");
  auto database = myna::pg::Database::open(std::move(options));
  return database ? 1 : 0;  // no server there: an error is the expected outcome
}
