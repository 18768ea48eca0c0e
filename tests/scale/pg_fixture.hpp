// Shared by the PostgreSQL tests: the program's cluster and a fresh database per test.
#pragma once

#include <string>

#include "myna/postgres/postgres.hpp"
#include "scale/pg_cluster.hpp"
#include "scale/raw_sql.hpp"

namespace myna::test {

PgCluster& cluster();
/// A new empty database in the cluster; returns its connection string.
std::string fresh_database();

inline pg::DatabaseOptions db_options(const std::string& conninfo) {
  pg::DatabaseOptions o;
  o.conninfo = SecretString(conninfo);
  o.pool_size = 4;
  o.statement_timeout = std::chrono::seconds(5);
  o.acquire_timeout = std::chrono::seconds(5);
  return o;
}

inline std::shared_ptr<pg::Database> open_db(const std::string& conninfo) {
  return pg::Database::open(db_options(conninfo)).value();
}

}  // namespace myna::test
