// One instance of a provider's application, scaled out: run several of these behind a load
// balancer, all sharing one PostgreSQL database. Each instance
//   - serves the completion-notification endpoint (any instance accepts any notification:
//     the retrieval state lives in PostgreSQL, and LISTEN/NOTIFY wakes the waiting instance),
//   - runs workers that claim citizens from a work queue in PostgreSQL (SKIP LOCKED + lease),
//     fetch their records with the PostgreSQL token store (期間連携 grants outlive any one
//     process) and store them through the idempotent record sink (exactly once, even when a
//     citizen is retried or two instances race),
//   - stops gracefully on SIGTERM / SIGINT (a SIGKILL is safe too: leases expire, another
//     instance takes the citizen over, and the sink never duplicates a record).
// The citizens' consent happened earlier (web_app shows that flow); a feeder enqueues them.
// docs/scale-out.md describes the deployment. `multi_instance --help` lists the options.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "myna/client/listener.hpp"
#include "myna/myna.hpp"
#include "myna/postgres/postgres.hpp"

namespace {

constexpr const char* kUsage = R"(usage: multi_instance [options]
  --db CONNINFO            PostgreSQL connection string (default: $MYNA_DATABASE_URL; prefer
                           the variable when it holds a password: arguments show in ps)
  --token-key-file FILE    64 hex characters: the key that encrypts stored tokens
                           (default: $MYNA_TOKEN_KEY holds the hex key itself)
  --api URL                the service's API base URL ({sp host})
  --ca FILE --cert FILE --key FILE   TLS: CA bundle, client certificate and key (mutual TLS)
  --refresh                the profile issues refresh tokens
  --listen HOST:PORT       notification endpoint (default 127.0.0.1:0)
  --listener-cert FILE --listener-key FILE   HTTPS for the endpoint (plain HTTP: loopback only)
  --instance N --instances M   this instance's number and the instance count (telegram ids)
  --name NAME              instance name in claims and leases (default host:pid)
  --queue NAME             work queue of citizen keys (default citizens)
  --from YYYYMMDD --to YYYYMMDD   the 照会年月日 range (default 20240101..20241231)
  --types LIST             drugs,checkups,expenses (default all three)
  --workers N              citizens in flight (default 8)
  --pool N                 database connections (default 6)
  --lease-ms N             work item lease (default 60000)
  --notification-timeout-ms N   fallback fetch after this (default 300000)
  --until-empty            exit once the queue has no open items left
  --log LEVEL              debug, info, warn, error (default warn)
Prints "READY <notification URL>" when it serves, "STATS ..." when it stops.
)";

struct Config {
  myna::SecretString db, token_key_hex;  // a connection string may hold a password
  std::string api, ca, cert, key, listener_cert, listener_key;
  std::string listen = "127.0.0.1:0", name, queue = "citizens", from = "20240101", to = "20241231";
  std::vector<myna::RecordType> types{myna::RecordType::drug, myna::RecordType::checkup, myna::RecordType::expense};
  bool refresh = false, until_empty = false;
  unsigned instance = 0, instances = 1;
  std::size_t workers = 8, pool = 6;
  long lease_ms = 60000, notification_timeout_ms = 300000;
  myna::LogLevel log = myna::LogLevel::warn;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "multi_instance: " << message << "\n" << kUsage;
  std::exit(2);
}

myna::SecretString read_key_file(const std::string& path) {
  std::ifstream in(path);
  std::string hex;
  if (!std::getline(in, hex)) usage_error("cannot read the token key file " + path);
  myna::SecretString key(hex);
  myna::wipe(hex);
  return key;
}

std::vector<myna::RecordType> parse_types(const std::string& list) {
  std::vector<myna::RecordType> out;
  std::stringstream ss(list);
  for (std::string t; std::getline(ss, t, ',');) {
    if (t == "drugs")
      out.push_back(myna::RecordType::drug);
    else if (t == "checkups")
      out.push_back(myna::RecordType::checkup);
    else if (t == "expenses")
      out.push_back(myna::RecordType::expense);
    else
      usage_error("unknown record type " + t);
  }
  return out;
}

myna::LogLevel parse_level(const std::string& s) {
  if (s == "debug") return myna::LogLevel::debug;
  if (s == "info") return myna::LogLevel::info;
  if (s == "warn") return myna::LogLevel::warn;
  if (s == "error") return myna::LogLevel::error;
  usage_error("unknown log level " + s);
}

long number(const std::string& s) {
  try {
    return std::stol(s);
  } catch (const std::exception&) { usage_error("not a number: " + s); }
}

void set_option(Config& c, const std::string& a, const std::string& v) {
  if (a == "--db")
    c.db = myna::SecretString(v);
  else if (a == "--token-key-file")
    c.token_key_hex = read_key_file(v);
  else if (a == "--api")
    c.api = v;
  else if (a == "--ca")
    c.ca = v;
  else if (a == "--cert")
    c.cert = v;
  else if (a == "--key")
    c.key = v;
  else if (a == "--listen")
    c.listen = v;
  else if (a == "--listener-cert")
    c.listener_cert = v;
  else if (a == "--listener-key")
    c.listener_key = v;
  else if (a == "--instance")
    c.instance = static_cast<unsigned>(number(v));
  else if (a == "--instances")
    c.instances = static_cast<unsigned>(number(v));
  else if (a == "--name")
    c.name = v;
  else if (a == "--queue")
    c.queue = v;
  else if (a == "--from")
    c.from = v;
  else if (a == "--to")
    c.to = v;
  else if (a == "--types")
    c.types = parse_types(v);
  else if (a == "--workers")
    c.workers = static_cast<std::size_t>(number(v));
  else if (a == "--pool")
    c.pool = static_cast<std::size_t>(number(v));
  else if (a == "--lease-ms")
    c.lease_ms = number(v);
  else if (a == "--notification-timeout-ms")
    c.notification_timeout_ms = number(v);
  else if (a == "--log")
    c.log = parse_level(v);
  else
    usage_error("unknown option " + a);
}

Config parse(int argc, char** argv) {
  Config c;
  if (const char* env = std::getenv("MYNA_DATABASE_URL")) c.db = myna::SecretString(env);
  if (const char* env = std::getenv("MYNA_TOKEN_KEY")) c.token_key_hex = myna::SecretString(env);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help")
      std::cout << kUsage, std::exit(0);
    else if (a == "--refresh")
      c.refresh = true;
    else if (a == "--until-empty")
      c.until_empty = true;
    else if (i + 1 < argc)
      set_option(c, a, argv[++i]);
    else
      usage_error(a + " needs a value");
  }
  if (c.api.empty() || c.token_key_hex.empty()) usage_error("--api and a token key are required");
  if (c.workers == 0 || c.lease_ms <= 0) usage_error("--workers and --lease-ms must be positive");
  if (c.name.empty()) c.name = "instance-" + std::to_string(c.instance) + ":" + std::to_string(::getpid());
  return c;
}

/// What an instance did (printed as one STATS line when it stops).
struct Stats {
  std::atomic<std::uint64_t> citizens{0}, retried{0}, failed{0}, retrievals{0}, inserted{0}, updated{0}, unchanged{0},
      store_us{0};
};

/// The shared-state parts of one instance.
struct Services {
  std::shared_ptr<myna::pg::Database> db;
  std::shared_ptr<myna::pg::RecordSink> sink;
  std::shared_ptr<myna::pg::WorkQueue> queue;
  std::shared_ptr<myna::Client> client;
};

myna::Logger make_logger(const Config& c) {
  auto name = c.name;
  return myna::Logger(
      [name](myna::LogLevel level, std::string_view message) {
        static std::mutex mu;
        std::lock_guard<std::mutex> lock(mu);
        std::cerr << name << " " << myna::to_string(level) << ": " << message << "\n";
      },
      c.log);
}

myna::Result<Services> open_services(const Config& c, const myna::Logger& logger) {
  myna::pg::DatabaseOptions dbo;
  dbo.conninfo = c.db;
  dbo.pool_size = c.pool;
  dbo.logger = logger;
  auto db = myna::pg::Database::open(dbo);
  if (!db) return std::move(db).error();
  auto key = myna::pg::token_key_from_hex(c.token_key_hex.reveal());
  if (!key) return std::move(key).error();
  myna::pg::TokenStoreOptions tso;
  tso.key = std::move(*key);
  auto tokens = myna::pg::make_token_store(*db, std::move(tso));
  if (!tokens) return std::move(tokens).error();
  auto retrievals = myna::pg::make_retrieval_store(*db);
  if (!retrievals) return std::move(retrievals).error();
  auto sink = myna::pg::RecordSink::create(*db);
  if (!sink) return std::move(sink).error();
  auto queue = myna::pg::WorkQueue::create(*db, c.queue);
  if (!queue) return std::move(queue).error();
  auto audit = myna::pg::AuditLog::create(*db);  // one row per retrieval (myna_audit)
  if (!audit) return std::move(audit).error();

  myna::ClientOptions o;
  o.profile.api_base_url = c.api;
  o.profile.supports_refresh = c.refresh;
  o.curl.tls = {c.ca, c.cert, c.key, {}};
  o.token_store = *tokens;
  o.retrieval_store = *retrievals;
  o.instance = c.instance;
  o.instance_count = c.instances;
  o.instance_name = c.name;
  o.notification_timeout = std::chrono::milliseconds(c.notification_timeout_ms);
  o.logger = logger;
  o.audit = (*audit)->sink(logger);
  auto client = myna::Client::create(o);
  if (!client) return std::move(client).error();
  return Services{*db, *sink, *queue, *client};
}

/// Failures that retrying will not fix: the citizen must consent again, or the set-up is wrong.
bool permanent(const myna::Error& e) {
  switch (e.category()) {
    case myna::ErrorCategory::consent_required:
    case myna::ErrorCategory::consent_denied:
    case myna::ErrorCategory::certificate_expired:
    case myna::ErrorCategory::not_registered:
    case myna::ErrorCategory::validation:
    case myna::ErrorCategory::tls: return true;
    default: return false;
  }
}

class Worker {
 public:
  Worker(const Config& c, Services& s, Stats& stats, const myna::Context& context)
      : c_(c), s_(s), stats_(stats), context_(context) {}

  void run() {
    auto idle = std::chrono::milliseconds(50);
    while (!context_.cancelled()) {
      auto claimed = s_.queue->claim(c_.name, 1, std::chrono::milliseconds(c_.lease_ms));
      if (!claimed || claimed->empty()) {
        if (!context_.sleep_for(idle)) return;
        idle = std::min(idle * 2, std::chrono::milliseconds(500));
        continue;
      }
      idle = std::chrono::milliseconds(50);
      for (const auto& item : *claimed) settle(item);
    }
  }

 private:
  /// Syncs one citizen, then completes, postpones or fails the work item.
  void settle(const myna::pg::WorkItem& item) {
    leased_at_ = std::chrono::steady_clock::now();
    myna::Status st = sync(item.item);
    if (st) {
      ++stats_.citizens;
      (void)s_.queue->complete(item.item, c_.name);
      return;
    }
    const myna::Error& e = st.error();
    if (permanent(e) || item.attempts >= 10) {
      ++stats_.failed;
      (void)s_.queue->fail(item.item, c_.name, e.to_string());
      return;
    }
    ++stats_.retried;
    const bool stopping = e.category() == myna::ErrorCategory::cancelled;  // hand it over at once
    (void)s_.queue->retry_later(item.item, c_.name, stopping ? std::chrono::milliseconds(0) : backoff(item.attempts, e),
                                e.to_string());
  }

  static std::chrono::milliseconds backoff(int attempts, const myna::Error& e) {
    if (e.retry_after()) {
      auto wait =
          std::chrono::duration_cast<std::chrono::milliseconds>(*e.retry_after() - std::chrono::system_clock::now());
      return std::max(wait, std::chrono::milliseconds(0));
    }
    return std::min(std::chrono::milliseconds(250 << std::min(std::max(attempts, 0), 6)),
                    std::chrono::milliseconds(15000));
  }

  /// Every configured record type of one citizen; each stored in its own transaction.
  myna::Status sync(const std::string& citizen) {
    for (myna::RecordType type : c_.types) {
      keep_lease(citizen);
      auto query = myna::make_query(type, c_.from, c_.to);
      if (!query) return std::move(query).error();
      myna::Status st =
          myna::visit_record_type(type, [&](auto tag) { return fetch_and_store<decltype(tag)>(citizen, *query); });
      if (!st) return st;
    }
    return {};
  }

  /// Extends the lease once a third of it has passed (a slow citizen stays ours).
  void keep_lease(const std::string& citizen) {
    const auto lease = std::chrono::milliseconds(c_.lease_ms);
    if (std::chrono::steady_clock::now() - leased_at_ < lease / 3) return;
    auto extended = s_.queue->extend(citizen, c_.name, lease);
    if (extended && *extended) leased_at_ = std::chrono::steady_clock::now();
  }

  template <class R>
  myna::Status fetch_and_store(const std::string& citizen, const myna::Query& query) {
    ++stats_.retrievals;
    auto records = s_.client->fetch<R>(citizen, query, context_);
    if (!records) return std::move(records).error();
    const auto started = std::chrono::steady_clock::now();
    auto stored = s_.sink->store(citizen, records->records, records->info.telegram_id);
    stats_.store_us += static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
    if (!stored) return std::move(stored).error();
    stats_.inserted += stored->inserted;
    stats_.updated += stored->updated;
    stats_.unchanged += stored->unchanged;
    return {};
  }

  const Config& c_;
  Services& s_;
  Stats& stats_;
  const myna::Context& context_;
  std::chrono::steady_clock::time_point leased_at_;
};

myna::ListenerOptions listener_options(const Config& c) {
  myna::ListenerOptions lo;
  const auto colon = c.listen.rfind(':');
  if (colon == std::string::npos) usage_error("--listen needs HOST:PORT");
  lo.host = c.listen.substr(0, colon);
  lo.port = static_cast<int>(number(c.listen.substr(colon + 1)));
  lo.cert_file = c.listener_cert;
  lo.key_file = c.listener_key;
  return lo;
}

/// --until-empty: stops the instance once the queue has been drained.
void watch_queue(Services& s, const myna::Context& context) {
  while (context.sleep_for(std::chrono::seconds(1))) {
    auto counts = s.queue->counts();
    if (counts && counts->open() == 0 && counts->done + counts->failed > 0) ::kill(::getpid(), SIGTERM);
  }
}

void print_stats(const Config& c, const Stats& s, const myna::pg::Database& db) {
  std::cout << "STATS name=" << c.name << " citizens=" << s.citizens << " retried=" << s.retried
            << " failed=" << s.failed << " retrievals=" << s.retrievals << " inserted=" << s.inserted
            << " updated=" << s.updated << " unchanged=" << s.unchanged << " store_ms=" << s.store_us / 1000
            << " db_statements=" << db.stats().statements << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  const Config config = parse(argc, argv);
  sigset_t signals;  // blocked in every thread; the main thread waits for them
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const myna::Logger logger = make_logger(config);
  auto services = open_services(config, logger);
  if (!services) {
    std::cerr << "multi_instance: " << services.error() << "\n";
    return 1;
  }
  auto listener = myna::CallbackListener::start(listener_options(config), services->client->notification_handler());
  if (!listener) {
    std::cerr << "multi_instance: " << listener.error() << "\n";
    return 1;
  }
  std::cout << "READY " << (*listener)->notification_url() << std::endl;

  Stats stats;
  myna::Context context;  // cancelled on SIGTERM: retrievals in flight end, their citizens go back
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < config.workers; ++i)
    threads.emplace_back([&] { Worker(config, *services, stats, context).run(); });
  if (config.until_empty) threads.emplace_back([&] { watch_queue(*services, context); });

  int received = 0;
  sigwait(&signals, &received);
  context.cancel();
  for (auto& t : threads) t.join();
  (*listener)->stop();
  print_stats(config, stats, *services->db);
  return 0;
}
