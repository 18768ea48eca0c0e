// The pool and schema: migrations, typed errors, statement timeouts, reconnecting after the
// server restarts, and the work queue.
#include <catch2/catch.hpp>

#include <thread>

#include "scale/pg_fixture.hpp"

using namespace myna;
using namespace std::chrono_literals;

TEST_CASE("pg database: instances starting together create the schema once", "[postgres][schema]") {
  const std::string conninfo = test::fresh_database();
  std::vector<std::thread> starts;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i)
    starts.emplace_back([&] {
      if (!pg::Database::open(test::db_options(conninfo)).ok()) ++failures;
    });
  for (auto& t : starts) t.join();
  CHECK(failures == 0);
  auto db = test::open_db(conninfo);
  CHECK(db->schema_version().value() == pg::Database::latest_schema_version());
  test::RawSql raw(conninfo);
  CHECK(raw.scalar("SELECT count(*) FROM myna_schema_version") ==
        std::to_string(pg::Database::latest_schema_version()));
  CHECK(db->migrate().ok());  // again: nothing to do
}

TEST_CASE("pg database: a schema newer than the SDK is refused", "[postgres][schema]") {
  const std::string conninfo = test::fresh_database();
  test::open_db(conninfo);
  test::RawSql raw(conninfo);
  raw.query("INSERT INTO myna_schema_version (version, description) VALUES (999, 'from the future')");
  auto opened = pg::Database::open(test::db_options(conninfo));
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().category() == ErrorCategory::storage);
  CHECK(opened.error().message().find("newer") != std::string::npos);
}

TEST_CASE("pg database: unreachable servers and bad settings are typed errors without secrets",
          "[postgres][errors][security]") {
  SECTION("nobody listens") {
    pg::DatabaseOptions o = test::db_options("host=127.0.0.1 port=1 user=myna password=pw-s3cret dbname=x");
    auto opened = pg::Database::open(o);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().category() == ErrorCategory::storage);
    CHECK(opened.error().message().find("cannot connect") != std::string::npos);
    CHECK(opened.error().message().find("pw-s3cret") == std::string::npos);
  }
  SECTION("a malformed connection string is not echoed") {
    auto opened = pg::Database::open(test::db_options("host=127.0.0.1 password=pw-s3cret broken"));
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().category() == ErrorCategory::validation);
    CHECK(opened.error().message().find("pw-s3cret") == std::string::npos);
  }
  SECTION("bad options") {
    pg::DatabaseOptions o = test::db_options(test::fresh_database());
    o.pool_size = 0;
    CHECK(pg::Database::open(o).error().category() == ErrorCategory::validation);
  }
}

TEST_CASE("pg database: a statement stuck on a lock ends at the statement timeout", "[postgres][errors]") {
  const std::string conninfo = test::fresh_database();
  pg::DatabaseOptions o = test::db_options(conninfo);
  o.statement_timeout = 300ms;
  auto db = pg::Database::open(o).value();
  auto store = pg::make_retrieval_store(db).value();
  Retrieval r;
  r.telegram_id = "TL-locked";
  r.citizen = "c";
  REQUIRE(store->create(r).ok());
  REQUIRE(store->set_process_id("TL-locked", "P").ok());
  REQUIRE(store->mark_notified("TL-locked", "P", "").ok());  // the claim has to write
  test::RawSql holder(conninfo);
  holder.query("BEGIN");
  holder.query("SELECT 1 FROM myna_retrievals WHERE telegram_id = 'TL-locked' FOR UPDATE");
  const auto started = std::chrono::steady_clock::now();
  auto claimed = store->claim_fetch("TL-locked", "me", 60s);
  REQUIRE_FALSE(claimed.ok());
  CHECK(claimed.error().category() == ErrorCategory::storage);
  CHECK(claimed.error().message().find("statement timeout") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  holder.query("ROLLBACK");
  CHECK(store->claim_fetch("TL-locked", "me", 60s).value());  // the pool is fine afterwards
}

TEST_CASE("pg database: the pool reconnects after the server restarts", "[postgres][restart]") {
  const std::string conninfo = test::fresh_database();
  pg::RetrievalStoreOptions quick;
  quick.poll_initial = 100ms;
  quick.poll_max = 500ms;
  auto db = test::open_db(conninfo);
  auto store = pg::make_retrieval_store(db, quick).value();
  auto queue = pg::WorkQueue::create(db, "restart").value();
  Retrieval r;
  r.telegram_id = "TL-before";
  r.citizen = "c";
  REQUIRE(store->create(r).ok());
  REQUIRE(queue->enqueue({"a", "b"}).ok());
  // Fill the pool with several idle connections, all of which the restart kills.
  std::vector<std::thread> parallel;
  for (int i = 0; i < 4; ++i) parallel.emplace_back([&] { (void)store->find("TL-before"); });
  for (auto& t : parallel) t.join();

  test::cluster().stop();
  auto down = store->find("TL-before");
  REQUIRE_FALSE(down.ok());
  CHECK(down.error().category() == ErrorCategory::storage);
  CHECK(queue->counts().error().category() == ErrorCategory::storage);

  test::cluster().start();
  auto after = store->find("TL-before");
  REQUIRE(after.ok());
  CHECK(after->has_value());
  CHECK(queue->counts().value().pending == 2);
  CHECK(db->stats().lost_connections > 0);

  test::cluster().restart();  // idle connections die while nobody uses them
  CHECK(store->set_process_id("TL-before", "P").ok());
  // The LISTEN connection came back too: a wait is woken by a change from another pool.
  auto other = pg::make_retrieval_store(test::open_db(conninfo)).value();
  std::thread notifier([&] {
    std::this_thread::sleep_for(300ms);
    (void)other->mark_notified("TL-before", "P", "");
  });
  auto state = store->wait("TL-before", Context().with_timeout(5s));
  notifier.join();
  CHECK(state.value() == RetrievalState::notified);
}

TEST_CASE("pg work queue: leases, SKIP LOCKED claims and expiry", "[postgres][queue]") {
  const std::string conninfo = test::fresh_database();
  auto a = pg::WorkQueue::create(test::open_db(conninfo), "citizens").value();
  auto b = pg::WorkQueue::create(test::open_db(conninfo), "citizens").value();
  auto other = pg::WorkQueue::create(test::open_db(conninfo), "other").value();
  std::vector<std::string> items;
  for (int i = 0; i < 50; ++i) items.push_back("citizen-" + std::to_string(i));
  CHECK(a->enqueue(items).value() == 50);
  CHECK(b->enqueue({"citizen-0", "citizen-50"}).value() == 1);
  CHECK(other->enqueue({"citizen-0"}).value() == 1);

  SECTION("concurrent claimers never share an item") {
    std::mutex mu;
    std::vector<std::string> claimed;
    std::vector<std::thread> claimers;
    for (int i = 0; i < 6; ++i)
      claimers.emplace_back([&, i] {
        auto& q = i % 2 ? a : b;
        for (;;) {
          auto got = q->claim("owner-" + std::to_string(i), 4, 60s);
          if (!got || got->empty()) return;
          std::lock_guard<std::mutex> lock(mu);
          for (auto& w : *got) claimed.push_back(w.item);
        }
      });
    for (auto& t : claimers) t.join();
    std::sort(claimed.begin(), claimed.end());
    CHECK(claimed.size() == 51);
    CHECK(std::adjacent_find(claimed.begin(), claimed.end()) == claimed.end());
    CHECK(a->counts().value().leased == 51);
    CHECK(other->counts().value().pending == 1);
  }
  SECTION("complete, retry later, fail, and an expired lease is claimed again") {
    auto first = a->claim("alpha", 3, 300ms).value();
    REQUIRE(first.size() == 3);
    CHECK(first[0].attempts == 1);
    CHECK_FALSE(b->complete(first[0].item, "beta").value());  // not beta's
    CHECK(a->complete(first[0].item, "alpha").value());
    CHECK(a->retry_later(first[1].item, "alpha", 10min, "network: 接続が切れた").value());
    CHECK(a->fail(first[2].item, "alpha", std::string(2000, 'x')).value());
    auto held = a->claim("alpha", 10, 300ms).value();
    REQUIRE(held.size() == 10);
    std::this_thread::sleep_for(400ms);
    auto taken = b->claim("beta", 100, 60s).value();
    CHECK(taken.size() == 51 - 3);                            // the 10 expired leases and the 38 never claimed
    CHECK_FALSE(a->complete(held[0].item, "alpha").value());  // lost to beta
    CHECK_FALSE(a->extend(held[1].item, "alpha", 60s).value());
    CHECK(b->extend(held[1].item, "beta", 60s).value());
    auto counts = a->counts().value();
    CHECK(counts.done == 1);
    CHECK(counts.pending == 1);
    CHECK(counts.failed == 1);
    CHECK(counts.leased == 48);
  }
}
