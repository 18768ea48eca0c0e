// Catch2 runner for the PostgreSQL tests: skips (exit 77) when the server is not installed,
// otherwise starts one throwaway cluster for the whole program.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "scale/pg_fixture.hpp"

namespace myna::test {
namespace {
PgCluster* g_cluster = nullptr;
int g_databases = 0;
}  // namespace

PgCluster& cluster() { return *g_cluster; }

std::string fresh_database() {
  const std::string name = "t" + std::to_string(++g_databases);
  RawSql admin(cluster().conninfo());
  admin.query(("CREATE DATABASE " + name).c_str());  // a test-generated identifier, not input
  return "host=127.0.0.1 port=" + std::to_string(cluster().port()) + " user=myna dbname=" + name;
}

}  // namespace myna::test

int main(int argc, char** argv) {
  if (myna::test::skip_without_postgres("postgres tests")) return 77;
  myna::test::PgCluster cluster;
  myna::test::g_cluster = &cluster;
  return Catch::Session().run(argc, argv);
}
