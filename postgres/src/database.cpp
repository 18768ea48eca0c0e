#include <limits>

#include "pool.hpp"
#include "schema.hpp"

namespace myna::pg {

namespace {

Status check(const DatabaseOptions& o) {
  if (o.pool_size == 0) return Error(ErrorCategory::validation, "the database pool size must be at least 1");
  if (o.statement_timeout.count() <= 0)
    return Error(ErrorCategory::validation, "the statement timeout must be positive");
  if (o.connect_timeout.count() <= 0 || o.connect_timeout.count() > std::numeric_limits<int>::max())
    return Error(ErrorCategory::validation, "the connect timeout must be positive");
  return {};
}

}  // namespace

Database::Impl::Impl(DatabaseOptions o) : options(std::move(o)) {
  settings.conninfo = options.conninfo;
  settings.connect_timeout_s = static_cast<int>(options.connect_timeout.count());
  settings.statement_timeout_ms = static_cast<long>(options.statement_timeout.count());
}

Result<std::unique_ptr<internal::pg::Connection>> Database::Impl::connect() {
  auto c = internal::pg::Connection::open(settings);
  if (!c) return c;
  (*c)->count_into(&statements_);
  ++connects_;
  return c;
}

Result<Database::Impl::Lease> Database::Impl::acquire(const char* what) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + options.acquire_timeout;
  while (idle_.empty() && open_ >= options.pool_size) {
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= options.pool_size)
      return Error(ErrorCategory::storage,
                   std::string("no database connection became free within the acquire timeout while ") + what +
                       " (raise pool_size or lower the concurrency)");
  }
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }
  ++open_;
  lock.unlock();
  auto c = connect();
  if (!c) {
    lock.lock();
    --open_;
    freed_.notify_one();
    return std::move(c).error();
  }
  return Lease(*this, std::move(*c));
}

void Database::Impl::give_back(std::unique_ptr<internal::pg::Connection> c) {
  if (!c->idle()) c->rollback();
  const bool usable = c->idle();
  if (!usable) ++lost_;
  std::lock_guard<std::mutex> lock(mu_);
  if (usable)
    idle_.push_back(std::move(c));
  else
    --open_;
  freed_.notify_one();
}

void Database::Impl::drop_idle() {
  std::vector<std::unique_ptr<internal::pg::Connection>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dropped.swap(idle_);
    open_ -= dropped.size();
    freed_.notify_all();
  }
  lost_ += dropped.size();
}

DatabaseStats Database::Impl::stats() {
  DatabaseStats s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.open_connections = open_;
    s.idle_connections = idle_.size();
  }
  s.connects = connects_;
  s.lost_connections = lost_;
  s.statements = statements_;
  return s;
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Result<std::shared_ptr<Database>> Database::open(DatabaseOptions options) {
  if (Status st = check(options); !st) return std::move(st).error();
  std::shared_ptr<Database> db(new Database(std::make_unique<Impl>(std::move(options))));
  if (Status st = db->impl_->options.migrate ? db->migrate() : db->ping(); !st) return std::move(st).error();
  return db;
}

int Database::latest_schema_version() noexcept { return internal::pg::latest_version(); }

Result<int> Database::schema_version() {
  return impl_->run("reading the schema version",
                    [](internal::pg::Connection& c) { return internal::pg::read_version(c); });
}

Status Database::migrate() {
  return impl_->run("migrating the schema",
                    [&](internal::pg::Connection& c) { return internal::pg::migrate(c, impl_->options.logger); });
}

Status Database::ping() {
  return impl_->run("checking the connection", [](internal::pg::Connection& c) -> Status {
    auto rows = c.exec("checking the connection", "SELECT 1");
    if (!rows) return std::move(rows).error();
    return {};
  });
}

DatabaseStats Database::stats() const { return impl_->stats(); }

}  // namespace myna::pg
