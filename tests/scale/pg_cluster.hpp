// A throwaway PostgreSQL cluster for tests: its own data directory under $TMPDIR, a free
// loopback port, started with the Debian server binaries — as the `postgres` user through
// runuser when the test runs as root (the server refuses to run as root), directly otherwise.
// A guardian process stops it and removes the directory if the test process dies.
// $MYNA_PG_SETTINGS adds server options (e.g. "-c shared_preload_libraries=pg_stat_statements").
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace myna::test {

class PgCluster {
 public:
  struct Options {
    /// fsync, full_page_writes and synchronous_commit off: much faster, not crash-safe.
    bool fast = true;
    int max_connections = 100;
    std::string extra_settings;  ///< more server options, e.g. "-c shared_preload_libraries=…"
  };

  /// The directory with initdb and pg_ctl ("" when the server is not installed).
  /// $MYNA_PG_BINDIR overrides; otherwise the newest /usr/lib/postgresql/<v>/bin.
  static std::string find_binaries();

  /// initdb + start; throws std::runtime_error (with the server log's tail) on failure.
  PgCluster();
  explicit PgCluster(Options options);
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  /// libpq connection string of the superuser `myna` on the database `postgres`.
  std::string conninfo() const;
  int port() const noexcept { return port_; }
  const std::string& directory() const noexcept { return dir_; }

  void start();
  /// Fast shutdown (connections are terminated).
  void stop();
  void restart();

 private:
  int pg_ctl(const std::vector<std::string>& args) const;
  int run(const std::string& program, const std::vector<std::string>& args) const;
  std::string log_tail() const;
  void start_guardian();

  Options options_;
  std::string bin_, dir_, data_;
  int port_ = 0;
  bool running_ = false;
  bool as_postgres_ = false;
  pid_t guardian_ = -1;
};

/// Prints why and returns true when the PostgreSQL server binaries are missing (the caller
/// exits with 77, CTest's skip code).
bool skip_without_postgres(const char* test_name);

}  // namespace myna::test
