// Links MynaPortal::postgres from an installed SDK; an unreachable server is a storage error.
#include <iostream>

#include "myna/postgres/postgres.hpp"

int main() {
  myna::pg::DatabaseOptions options;
  options.conninfo = myna::SecretString("host=127.0.0.1 port=1 dbname=none connect_timeout=2");
  auto db = myna::pg::Database::open(options);
  if (db.ok() || db.error().category() != myna::ErrorCategory::storage) {
    std::cerr << "expected a storage error\n";
    return 1;
  }
  std::cout << "MynaPortal::postgres " << myna::pg::Database::latest_schema_version() << ": " << db.error() << "\n";
  return 0;
}
