#include "scale/pg_cluster.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace myna::test {
namespace {

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("no free loopback port");
  return ntohs(addr.sin_port);
}

bool executable(const fs::path& p) { return ::access(p.c_str(), X_OK) == 0; }

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string PgCluster::find_binaries() {
  if (const char* env = std::getenv("MYNA_PG_BINDIR"); env && *env)
    return executable(fs::path(env) / "initdb") && executable(fs::path(env) / "pg_ctl") ? env : "";
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const fs::path bin = entry.path() / "bin";
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (!executable(bin / "initdb") || !executable(bin / "pg_ctl")) continue;
    if (std::stoi(name) > best_version) best_version = std::stoi(name), best = bin.string();
  }
  return best;
}

PgCluster::PgCluster() : PgCluster(Options{}) {}

PgCluster::PgCluster(Options options) : options_(options), bin_(find_binaries()) {
  if (bin_.empty()) throw std::runtime_error("the PostgreSQL server binaries (initdb, pg_ctl) are not installed");
  as_postgres_ = ::geteuid() == 0;
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/myna-pg-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  dir_ = pattern;
  data_ = dir_ + "/data";
  if (as_postgres_) {
    const passwd* pg = ::getpwnam("postgres");
    if (!pg) throw std::runtime_error("running as root but there is no `postgres` user to run the server as");
    if (::chown(dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0) throw std::runtime_error("chown " + dir_ + " failed");
  }
  if (run(bin_ + "/initdb", {"-D", data_, "-A", "trust", "-U", "myna", "-E", "UTF8", "--locale=C", "--no-sync"}) != 0)
    throw std::runtime_error("initdb failed; see " + dir_ + "/commands.log");
  start_guardian();
  for (int attempt = 0;; ++attempt) {
    port_ = free_loopback_port();
    try {
      start();
      return;
    } catch (const std::runtime_error&) {
      if (attempt == 2) throw;
    }
  }
}

PgCluster::~PgCluster() {
  try {
    if (running_) stop();
  } catch (const std::exception& e) { std::cerr << "PgCluster: " << e.what() << "\n"; }
  if (guardian_ > 0) {
    ::kill(guardian_, SIGKILL);
    ::waitpid(guardian_, nullptr, 0);
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PgCluster::conninfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=myna dbname=postgres";
}

void PgCluster::start() {
  std::string settings =
      "-p " + std::to_string(port_) + " -k " + dir_ +
      " -c listen_addresses=127.0.0.1 -c max_connections=" + std::to_string(options_.max_connections);
  if (options_.fast) settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  if (!options_.extra_settings.empty()) settings += " " + options_.extra_settings;
  if (const char* extra = std::getenv("MYNA_PG_SETTINGS")) settings += std::string(" ") + extra;  // diagnosis
  if (pg_ctl({"-D", data_, "-l", dir_ + "/server.log", "-w", "-t", "60", "-o", settings, "start"}) != 0)
    throw std::runtime_error("pg_ctl start failed on port " + std::to_string(port_) + ":\n" + log_tail());
  running_ = true;
}

void PgCluster::stop() {
  if (pg_ctl({"-D", data_, "-m", "fast", "-w", "-t", "60", "stop"}) != 0)
    throw std::runtime_error("pg_ctl stop failed:\n" + log_tail());
  running_ = false;
}

void PgCluster::restart() {
  stop();
  start();
}

int PgCluster::pg_ctl(const std::vector<std::string>& args) const { return run(bin_ + "/pg_ctl", args); }

int PgCluster::run(const std::string& program, const std::vector<std::string>& args) const {
  std::vector<std::string> argv;
  if (as_postgres_) argv = {"runuser", "-u", "postgres", "--"};
  argv.push_back(program);
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> ptrs;
  for (auto& a : argv) ptrs.push_back(a.data());
  ptrs.push_back(nullptr);
  const std::string log = dir_ + "/commands.log";
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const pid_t pid = ::fork();  // everything the child needs was prepared above
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (out >= 0) ::dup2(out, 1), ::dup2(out, 2);
    ::close_range(3, ~0U, 0);  // the server must not inherit the test's sockets
    ::execvp(ptrs[0], ptrs.data());
    ::_exit(127);
  }
  if (out >= 0) ::close(out);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string PgCluster::log_tail() const {
  std::ifstream in(dir_ + "/server.log");
  std::string line, tail;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  for (std::size_t i = lines.size() > 20 ? lines.size() - 20 : 0; i < lines.size(); ++i) tail += lines[i] + "\n";
  return tail;
}

// If the test process dies (SIGKILL by a CTest timeout), stop the server and remove its files.
void PgCluster::start_guardian() {
  const std::string ctl = (as_postgres_ ? "runuser -u postgres -- " : "") + shell_quoted(bin_ + "/pg_ctl");
  std::string script = "while kill -0 " + std::to_string(::getpid()) + " 2>/dev/null; do sleep 1; done; " + ctl +
                       " -D " + shell_quoted(data_) + " -m immediate -w stop >/dev/null 2>&1; rm -rf " +
                       shell_quoted(dir_);
  const pid_t pid = ::fork();
  if (pid < 0) return;  // no guardian: only an orphan risk
  if (pid == 0) {
    ::setsid();
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) ::dup2(null, 0), ::dup2(null, 1), ::dup2(null, 2);
    ::close_range(3, ~0U, 0);
    ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  guardian_ = pid;
}

bool skip_without_postgres(const char* test_name) {
  if (!PgCluster::find_binaries().empty()) return false;
  std::cout << "SKIP " << test_name
            << ": the PostgreSQL server binaries (initdb, pg_ctl) are not installed; install the Debian package "
               "postgresql (scripts/setup-debian all) or set MYNA_PG_BINDIR\n";
  return true;
}

}  // namespace myna::test
