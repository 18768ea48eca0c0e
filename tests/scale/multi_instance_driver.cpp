// The multi-instance test (CTest `multi_instance`) and the scale-out benchmark.
//   scale_driver --instance-program PATH              test: 2,000 citizens, the soak's fault
//                                                     mix, one instance SIGKILLed and restarted
//   scale_driver --instance-program PATH --bench 1,2,3   throughput with 1, 2, 3 instances
// A throwaway PostgreSQL cluster and the sandbox (in this process) are shared by instance
// processes (examples/multi_instance); the sandbox sends notifications round-robin to their
// listeners. At the end every citizen's records in the database must equal the sandbox's
// ground truth. Exit code 77: PostgreSQL is not installed (skipped).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

#include "myna/myna.hpp"
#include "myna/postgres/postgres.hpp"
#include "myna/sandbox/pki.hpp"
#include "myna/sandbox/sandbox.hpp"
#include "scale/instance_process.hpp"
#include "scale/pg_cluster.hpp"
#include "scale/raw_sql.hpp"
#include "scale/record_compare.hpp"
#include "unit/temp_dir.hpp"

namespace {

using namespace myna;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string program;
  std::size_t citizens = 2000;
  unsigned instances = 3;
  bool faults = true, kill = true, profile = false;
  std::vector<unsigned> bench;  // instance counts to measure; empty: the test
  std::size_t workers = 12;
  std::chrono::seconds timeout{240};
  std::string from = "20240101", to = "20241231", types = "drugs,checkups,expenses";
  std::string instance_log = "error";
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "scale_driver: " << why
            << "\nusage: scale_driver --instance-program PATH [--citizens N] [--instances N] [--no-faults] "
               "[--no-kill] [--bench 1,2,3] [--profile] [--workers N] [--timeout-s N] [--types LIST] [--instance-log "
               "LEVEL]\n";
  std::exit(2);
}

std::vector<unsigned> parse_counts(const std::string& list) {
  std::vector<unsigned> out;
  std::stringstream ss(list);
  for (std::string n; std::getline(ss, n, ',');) out.push_back(static_cast<unsigned>(std::stoul(n)));
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--instance-program")
      o.program = value();
    else if (a == "--citizens")
      o.citizens = std::stoul(value());
    else if (a == "--instances")
      o.instances = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--no-faults")
      o.faults = false;
    else if (a == "--no-kill")
      o.kill = false;
    else if (a == "--profile")
      o.profile = true;
    else if (a == "--bench")
      o.bench = parse_counts(value());
    else if (a == "--workers")
      o.workers = std::stoul(value());
    else if (a == "--timeout-s")
      o.timeout = std::chrono::seconds(std::stol(value()));
    else if (a == "--types")
      o.types = value();
    else if (a == "--instance-log")
      o.instance_log = value();
    else
      usage("unknown option " + a);
  }
  if (o.program.empty()) usage("--instance-program is required");
  return o;
}

/// The soak's mix: 10% of API calls faulted, plus notification faults.
sandbox::Faults soak_faults() {
  sandbox::Faults f;
  f.http_500 = 0.015;
  f.rate_limit_429 = 0.015;
  f.maintenance_503 = 0.01;
  f.drop_connection = 0.015;
  f.truncated_body = 0.015;
  f.malformed_json = 0.015;
  f.expired_token = 0.015;
  f.duplicate_notification = 0.03;
  f.late_notification = 0.02;
  f.missing_notification = 0.02;
  f.forged_notification = 0.03;
  f.late_delay = std::chrono::milliseconds(1000);
  f.seed = 5;
  return f;
}

std::string random_key_hex() {
  unsigned char key[32];
  if (RAND_bytes(key, sizeof key) != 1) throw std::runtime_error("RAND_bytes failed");
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : key) hex += std::string{digits[b >> 4], digits[b & 15]};
  OPENSSL_cleanse(key, sizeof key);
  return hex;
}

/// A free loopback port for an instance's listener (kept when the instance restarts).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::vector<RecordType> parse_types(const std::string& list) {
  std::vector<RecordType> out;
  std::stringstream ss(list);
  for (std::string t; std::getline(ss, t, ',');)
    out.push_back(t == "checkups" ? RecordType::checkup : t == "expenses" ? RecordType::expense : RecordType::drug);
  return out;
}

/// CPU seconds of the cluster's processes: the postmaster (with its reaped backends) and the
/// live children.
double postgres_cpu_seconds(const std::string& data_dir) {
  std::ifstream pidfile(data_dir + "/postmaster.pid");
  long postmaster = 0;
  pidfile >> postmaster;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  auto stat_of = [](const std::string& path) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> fields;
    std::istringstream rest(text.substr(text.rfind(')') + 2));
    for (std::string f; rest >> f;) fields.push_back(f);
    return fields;  // fields[0] is the state (field 3 of proc(5))
  };
  double total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto f = stat_of(entry.path().string() + "/stat");
    if (f.size() < 15) continue;
    const long pid = std::stol(name), ppid = std::stol(f[1]);
    if (pid == postmaster)
      total += std::stod(f[11]) + std::stod(f[12]) + std::stod(f[13]) + std::stod(f[14]);
    else if (ppid == postmaster)
      total += std::stod(f[11]) + std::stod(f[12]);
  }
  return total / tick;
}

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// Everything the instances share: the cluster, the sandbox, the schema and the token key.
struct World {
  test::TempDir tmp;
  test::PgCluster cluster;
  std::unique_ptr<sandbox::Sandbox> sandbox;
  std::shared_ptr<pg::Database> db;
  std::shared_ptr<TokenStore> tokens;
  std::string key_file;

  World(bool durable, bool profile)
      : cluster(test::PgCluster::Options{!durable, 100,
                                         profile ? "-c shared_preload_libraries=pg_stat_statements "
                                                   "-c pg_stat_statements.track_planning=on"
                                                 : ""}) {
    sandbox::SandboxOptions so;
    so.notification_delay = std::chrono::milliseconds(50);
    sandbox = sandbox::Sandbox::start(so);
    pg::DatabaseOptions dbo;
    dbo.conninfo = SecretString(cluster.conninfo());
    dbo.pool_size = 8;
    db = pg::Database::open(dbo).value();
    const std::string hex = random_key_hex();
    key_file = tmp.sub("token.key");
    sandbox::write_file(key_file, hex + "\n", 0600);
    pg::TokenStoreOptions tso;
    tso.key = pg::token_key_from_hex(hex).value();
    tokens = pg::make_token_store(db, std::move(tso)).value();
  }
};

/// The citizens' consent (期間連携), tokens stored through the PostgreSQL token store.
/// on_batch receives the keys of consented citizens in batches (e.g. to enqueue them).
void consent_all(World& w, std::size_t citizens, const std::function<void(std::vector<std::string>)>& on_batch = {}) {
  ClientOptions o;
  o.profile = w.sandbox->client_profile();
  const auto& pki = w.sandbox->credentials();
  o.curl.tls = {pki.ca_file, pki.client_cert_file, pki.client_key_file, {}};
  o.token_store = w.tokens;
  auto client = Client::create(o).value();
  std::atomic<std::size_t> next{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      std::vector<std::string> batch;
      for (std::size_t i; (i = next++) < citizens;) {
        auto request = client->begin_consent();
        const std::string id = sandbox::citizen_id(i);
        if (!request || !client->complete_consent(id, w.sandbox->authorize_as(id, request->url), *request))
          ++failures;
        else
          batch.push_back(id);
        if (on_batch && batch.size() == 20) on_batch(std::exchange(batch, {}));
      }
      if (on_batch && !batch.empty()) on_batch(std::move(batch));
    });
  for (auto& t : threads) t.join();
  if (failures > 0) throw std::runtime_error(std::to_string(failures.load()) + " consents failed");
}

std::vector<std::string> instance_args(World& w, const Options& o, unsigned i, unsigned n, int port) {
  const auto& pki = w.sandbox->credentials();
  return {"--db",
          w.cluster.conninfo(),
          "--token-key-file",
          w.key_file,
          "--api",
          w.sandbox->base_url(),
          "--ca",
          pki.ca_file,
          "--cert",
          pki.client_cert_file,
          "--key",
          pki.client_key_file,
          "--refresh",
          "--listen",
          "127.0.0.1:" + std::to_string(port),
          "--listener-cert",
          pki.listener_cert_file,
          "--listener-key",
          pki.listener_key_file,
          "--instance",
          std::to_string(i),
          "--instances",
          std::to_string(n),
          "--name",
          "instance-" + std::to_string(i),
          "--from",
          o.from,
          "--to",
          o.to,
          "--types",
          o.types,
          "--workers",
          std::to_string(o.workers),
          "--pool",
          "6",
          "--lease-ms",
          "8000",
          "--notification-timeout-ms",
          "2000",
          "--log",
          o.instance_log};
}

using Instances = std::vector<std::unique_ptr<test::InstanceProcess>>;

/// Starts n instances, waits for their listeners and points the sandbox at them (round-robin).
Instances start_instances(World& w, const Options& o, unsigned n) {
  Instances out;
  std::vector<std::string> urls;
  for (unsigned i = 0; i < n; ++i) {
    out.push_back(std::make_unique<test::InstanceProcess>(o.program, instance_args(w, o, i, n, free_port())));
    out.back()->start();
  }
  for (auto& p : out) {
    urls.push_back(p->wait_ready(std::chrono::seconds(30)));
    if (urls.back().empty()) throw std::runtime_error("an instance did not get ready");
  }
  w.sandbox->set_notification_urls(urls);
  return out;
}

void stop_all(Instances& instances) {
  for (auto& p : instances) p->stop(std::chrono::seconds(15));
  for (auto& p : instances) std::cout << "  " << p->stats_line() << "\n";
}

/// Waits until the queue is drained; kills instance 1 with SIGKILL once kill_at citizens are
/// done and starts it again. False on timeout.
bool drain(pg::WorkQueue& queue, Instances& instances, std::size_t kill_at, std::chrono::seconds timeout,
           const std::atomic<bool>& all_enqueued) {
  const auto deadline = Clock::now() + timeout;
  auto next_report = Clock::now();
  bool killed = false;
  while (Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto counts = queue.counts();
    if (!counts) continue;  // the database is busy; ask again
    if (Clock::now() >= next_report) {
      std::cout << "  queue: " << counts->done << " done, " << counts->pending << " pending, " << counts->leased
                << " leased, " << counts->failed << " failed" << std::endl;
      next_report = Clock::now() + std::chrono::seconds(10);
    }
    if (counts->open() == 0 && all_enqueued) return true;
    if (kill_at > 0 && !killed && counts->done >= kill_at && instances.size() > 1) {
      std::cout << "  SIGKILL instance-1 with " << counts->leased << " citizens leased" << std::endl;
      instances[1]->kill_hard();
      killed = true;
      std::this_thread::sleep_for(std::chrono::seconds(1));
      instances[1]->start();
      if (instances[1]->wait_ready(std::chrono::seconds(30)).empty()) throw std::runtime_error("restart failed");
      std::cout << "  instance-1 started again" << std::endl;
    }
  }
  return false;
}

template <class R>
test::Difference verify_type(World& w, pg::RecordSink& sink, std::size_t citizen, const Query& q,
                             std::size_t& expected) {
  const auto truth = w.sandbox->generator().records<R>(citizen, q);
  expected += truth.size();
  auto stored = sink.load<R>(sandbox::citizen_id(citizen));
  if (!stored) throw std::runtime_error("loading records failed: " + stored.error().to_string());
  return test::compare_records(truth, *stored);
}

/// Every citizen's stored records against the generator's ground truth.
test::Difference verify(World& w, const Options& o, std::size_t& expected) {
  auto sink = pg::RecordSink::create(w.db).value();
  test::Difference total;
  for (RecordType type : parse_types(o.types)) {
    const Query q = make_query(type, o.from, o.to).value();
    for (std::size_t i = 0; i < o.citizens; ++i) {
      const auto d =
          visit_record_type(type, [&](auto tag) { return verify_type<decltype(tag)>(w, *sink, i, q, expected); });
      total.lost += d.lost;
      total.duplicated += d.duplicated;
    }
  }
  return total;
}

std::vector<std::string> citizens(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(sandbox::citizen_id(i));
  return out;
}

/// Retrievals whose records were stored (myna_records.source is the telegram id) without an
/// 'ok' row in the audit trail; the client writes the row before the fetch returns, so none.
std::size_t unaudited_retrievals(World& w) {
  test::RawSql raw(w.cluster.conninfo());
  const std::string audited = raw.scalar("SELECT count(*) FROM myna_audit WHERE outcome = 'ok'");
  std::cout << "audit trail: " << audited << " successful retrievals recorded\n";
  return std::stoul(
      raw.scalar("SELECT count(DISTINCT source) FROM myna_records r WHERE NOT EXISTS"
                 " (SELECT 1 FROM myna_audit a WHERE a.telegram_id = r.source AND a.outcome = 'ok')"));
}

/// Why citizens had to be tried again (the last failure of each retried item), most common first.
void print_retries(World& w) {
  test::RawSql raw(w.cluster.conninfo());
  for (const auto& row : raw.query("SELECT count(*), state, left(regexp_replace(last_error, '[0-9]+', '#', 'g'), 150) "
                                   "FROM myna_work WHERE attempts > 1 OR state = 'failed' GROUP BY 2, 3 "
                                   "ORDER BY 1 DESC LIMIT 12"))
    std::cout << "  " << row[0] << " x " << row[1] << " after: " << row[2] << "\n";
}

/// Consent (tokens into PostgreSQL) and enqueueing in the background, while the instances
/// work; `done` turns true at the end, `error` says why it failed.
std::thread consent_in_background(World& w, const Options& o, pg::WorkQueue& queue, std::atomic<bool>& done,
                                  std::string& error) {
  return std::thread([&w, &o, &queue, &done, &error] {
    try {
      consent_all(w, o.citizens, [&](std::vector<std::string> batch) { queue.enqueue(batch).value(); });
      std::cout << "  consent for " << o.citizens << " citizens stored in PostgreSQL and enqueued" << std::endl;
    } catch (const std::exception& e) { error = e.what(); }
    done = true;
  });
}

void print_sandbox_stats(const sandbox::SandboxStats& s) {
  std::cout << "sandbox: " << s.faults_injected << " faults injected, " << s.notifications_sent
            << " notifications sent (" << s.notifications_acked << " acked), " << s.forged_sent << " forged sent ("
            << s.forged_accepted << " accepted)\n";
}

int run_test(const Options& o) {
  const auto started = Clock::now();
  World w(false, false);
  auto queue = pg::WorkQueue::create(w.db, "citizens").value();
  Instances instances = start_instances(w, o, o.instances);
  if (o.faults) w.sandbox->set_faults(soak_faults());
  const auto work_started = Clock::now();
  std::atomic<bool> all_enqueued{false};
  std::string consent_error;
  std::thread consenting = consent_in_background(w, o, *queue, all_enqueued, consent_error);
  const bool drained = drain(*queue, instances, o.kill ? o.citizens * 35 / 100 : 0, o.timeout, all_enqueued);
  consenting.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - work_started).count();
  stop_all(instances);
  w.sandbox->set_faults({});
  const auto counts = queue->counts().value();
  std::size_t expected = 0;
  const test::Difference diff = verify(w, o, expected);
  std::cout << counts.done << " citizens consented and synced in " << seconds << " s, " << expected
            << " records expected\n";
  print_sandbox_stats(w.sandbox->stats());
  std::printf("FIGURE scale_lost %zu records\nFIGURE scale_duplicated %zu records\n", diff.lost, diff.duplicated);
  const std::size_t unaudited = unaudited_retrievals(w);
  std::printf("FIGURE scale_unaudited %zu retrievals\n", unaudited);
  print_retries(w);
  if (!consent_error.empty()) std::cout << "consent failed: " << consent_error << "\n";
  const bool ok = consent_error.empty() && drained && diff.none() && counts.failed == 0 && counts.done == o.citizens &&
                  w.sandbox->stats().forged_accepted == 0 && unaudited == 0;
  std::cout << (ok ? "multi_instance: OK" : "multi_instance: FAILED") << " (total "
            << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count() << " s)" << std::endl;
  return ok ? 0 : 1;
}

/// --profile: where the database spends its time (pg_stat_statements), top statements first.
void print_profile(test::RawSql& raw) {
  const auto rows = raw.query(
      "SELECT round(total_exec_time::numeric, 0), round(total_plan_time::numeric, 0), calls, left(regexp_replace("
      "query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 15");
  std::cout << "  exec_ms plan_ms calls statement\n";
  for (const auto& r : rows) std::cout << "  " << r[0] << " " << r[1] << " " << r[2] << " " << r[3] << "\n";
}

/// One throughput run with n instances on a clean slate (tokens kept); a re-sync keeps the
/// stored records, so every record arrives again unchanged (the daily re-sync case).
void bench_run(World& w, const Options& o, unsigned n, bool resync) {
  test::RawSql raw(w.cluster.conninfo());
  raw.query(resync ? "TRUNCATE myna_retrievals, myna_work" : "TRUNCATE myna_records, myna_retrievals, myna_work");
  const std::string tag = (resync ? "resync_" : "") + std::to_string(n);
  if (o.profile) raw.query("SELECT pg_stat_statements_reset()");
  auto queue = pg::WorkQueue::create(w.db, "citizens").value();
  Instances instances = start_instances(w, o, n);
  const std::string lsn = raw.scalar("SELECT pg_current_wal_lsn()");
  const double pg_cpu = postgres_cpu_seconds(w.cluster.directory() + "/data"), own_cpu = own_cpu_seconds();
  const auto started = Clock::now();
  queue->enqueue(citizens(o.citizens)).value();
  const std::atomic<bool> all_enqueued{true};
  const bool drained = drain(*queue, instances, 0, o.timeout, all_enqueued);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const double pg_used = postgres_cpu_seconds(w.cluster.directory() + "/data") - pg_cpu;
  const double sandbox_used = own_cpu_seconds() - own_cpu;
  const double wal = std::stod(raw.scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)", {lsn}));
  stop_all(instances);
  print_retries(w);
  double instance_cpu = 0;
  for (auto& p : instances) instance_cpu += p->cpu_seconds();
  const double records = std::stod(raw.scalar("SELECT count(*) FROM myna_records"));
  const double table = std::stod(raw.scalar("SELECT pg_total_relation_size('myna_records')"));
  const double done = static_cast<double>(queue->counts().value().done);
  std::cout << "  " << n << " instance(s): " << done << " citizens, " << records << " records in " << seconds
            << " s; CPU s: postgres " << pg_used << ", instances " << instance_cpu << ", sandbox+driver "
            << sandbox_used << "; WAL " << wal / 1e6 << " MB" << (drained ? "" : " (TIMED OUT)") << "\n";
  if (o.profile) print_profile(raw);
  std::printf("FIGURE scale_%scitizens_per_s_%u %.3f citizens/s\n", resync ? "resync_" : "", n, done / seconds);
  std::printf("FIGURE scale_db_cpu_ms_per_record_%s %.3f ms\n", tag.c_str(), 1000 * pg_used / records);
  std::printf("FIGURE scale_wal_bytes_per_record_%s %.0f bytes\n", tag.c_str(), wal / records);
  if (!resync) std::printf("FIGURE scale_table_bytes_per_record %.0f bytes\n", table / records);
  std::fflush(stdout);
}

int run_bench(const Options& o) {
  World w(true, o.profile);  // durable settings (fsync on): the figures include real commits
  if (o.profile) test::RawSql(w.cluster.conninfo()).query("CREATE EXTENSION pg_stat_statements");
  consent_all(w, o.citizens);
  std::cout << "bench: " << o.citizens << " citizens x " << o.types << ", no faults\n";
  for (unsigned n : o.bench) bench_run(w, o, n, false);
  bench_run(w, o, o.bench.back(), true);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (myna::test::skip_without_postgres("multi_instance")) return 77;
  try {
    return o.bench.empty() ? run_test(o) : run_bench(o);
  } catch (const std::exception& e) {
    std::cerr << "scale_driver: " << e.what() << "\n";
    return 1;
  }
}
