// The PostgreSQL retrieval store: the same behaviour as the memory and file stores, across
// "instances" (separate Database pools), woken by LISTEN/NOTIFY.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "scale/pg_fixture.hpp"
#include "unit/request_window_checks.hpp"
#include "unit/retrieval_fixtures.hpp"

using namespace myna;
using namespace std::chrono_literals;
using test::race;
using test::retrieval;
using test::state_of;

namespace {

struct Instance {
  std::shared_ptr<pg::Database> db;
  std::shared_ptr<RetrievalStore> store;
  Instance(const std::string& conninfo, pg::RetrievalStoreOptions o = {})
      : db(test::open_db(conninfo)), store(pg::make_retrieval_store(db, o).value()) {}
};
}  // namespace

TEST_CASE("pg retrieval store: create and find", "[postgres][retrieval]") {
  Instance a(test::fresh_database());
  RetrievalStore& store = *a.store;
  Retrieval r = retrieval("TL-00000086-260101093000-0001");
  r.state = RetrievalState::fetched;
  r.created_at = std::chrono::system_clock::now();
  REQUIRE(store.create(r).ok());
  auto found = store.find(r.telegram_id);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  const Retrieval& got = **found;
  CHECK(got.citizen == "市民-\"1\"");
  CHECK(got.type == RecordType::checkup);
  CHECK(got.from == r.from);
  CHECK(got.to == r.to);
  CHECK(got.state == RetrievalState::requested);
  CHECK(got.process_id.empty());
  CHECK(std::chrono::duration_cast<std::chrono::microseconds>(got.created_at - r.created_at).count() == 0);

  auto duplicate = store.create(r);
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().category() == ErrorCategory::validation);
  CHECK_FALSE(store.find("TL-unknown")->has_value());
  CHECK_FALSE(store.create(retrieval("")).ok());
  auto nul = store.create(retrieval(std::string("TL-with\0nul", 11)));
  REQUIRE_FALSE(nul.ok());
  CHECK(nul.error().category() == ErrorCategory::validation);
}

TEST_CASE("pg retrieval store: the normal path, refusals and duplicates", "[postgres][retrieval]") {
  Instance a(test::fresh_database());
  RetrievalStore& store = *a.store;
  const std::string id = "TL-00000086-260101093000-0002";
  REQUIRE(store.create(retrieval(id)).ok());
  REQUIRE(store.set_process_id(id, "P-1").ok());
  CHECK(state_of(store, id) == RetrievalState::waiting);
  CHECK(store.set_process_id(id, "P-1").ok());
  auto other = store.set_process_id(id, "P-2");
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().category() == ErrorCategory::protocol);
  CHECK_FALSE(store.set_process_id("TL-unknown", "P-1").ok());

  CHECK_FALSE(store.claim_fetch(id, "me", 60s).value());
  CHECK_FALSE(store.mark_notified(id, "P-forged", "").value().has_value());
  CHECK_FALSE(store.mark_notified("TL-unknown", "P-1", "").value().has_value());
  CHECK(store.mark_notified(id, "P-1", "").value() == RetrievalState::notified);
  CHECK(store.mark_notified(id, "P-1", "").value() == RetrievalState::notified);
  CHECK(store.claim_fetch(id, "me", 60s).value());
  CHECK(store.find(id)->value().owner == "me");
  CHECK_FALSE(store.claim_fetch(id, "other", 60s).value());
  REQUIRE(store.finish(id, RetrievalState::fetched).ok());
  CHECK(store.finish(id, RetrievalState::fetched).ok());
  CHECK_FALSE(store.finish(id, RetrievalState::failed).ok());
  CHECK_FALSE(store.finish(id, RetrievalState::waiting).ok());
  CHECK(store.mark_notified(id, "P-1", "").value() == RetrievalState::fetched);

  const std::string late = "TL-00000086-260101093000-0003";
  REQUIRE(store.create(retrieval(late)).ok());
  REQUIRE(store.set_process_id(late, "P-3").ok());
  REQUIRE(store.finish(late, RetrievalState::timed_out).ok());
  CHECK_FALSE(store.mark_notified(late, "P-3", "").value().has_value());
}

TEST_CASE("pg retrieval store: the request window across instances", "[postgres][retrieval][security]") {
  const std::string conninfo = test::fresh_database();
  Instance a(conninfo), b(conninfo);
  SECTION("a forged notification never affects the retrieval") {
    test::check_forged_notification_in_request_window(*a.store, *b.store, "TL-00000086-260101093000-0004");
  }
  SECTION("a genuine notification counts once the response confirms it") {
    test::check_genuine_notification_in_request_window(*a.store, *b.store, "TL-00000086-260101093000-0005");
  }
  SECTION("provisional notifications are bounded") {
    test::check_provisional_notifications_are_bounded(*b.store, "TL-00000086-260101093000-0006",
                                                      "TL-00000086-260101093000-0007");
  }
}

TEST_CASE("pg retrieval store: exactly one of 12 claimers on three instances wins", "[postgres][retrieval]") {
  const std::string conninfo = test::fresh_database();
  Instance instances[] = {Instance(conninfo), Instance(conninfo), Instance(conninfo)};
  for (int round = 0; round < 5; ++round) {
    const std::string id = "TL-00000086-260101093000-010" + std::to_string(round);
    REQUIRE(instances[0].store->create(retrieval(id)).ok());
    REQUIRE(instances[0].store->set_process_id(id, "P").ok());
    REQUIRE(instances[1].store->mark_notified(id, "P", "").value() == RetrievalState::notified);
    const int winners = race(12, [&](int i) {
      auto claimed = instances[i % 3].store->claim_fetch(id, "worker-" + std::to_string(i), 3600s);
      return claimed.ok() && *claimed;
    });
    CHECK(winners == 1);
    CHECK(state_of(*instances[2].store, id) == RetrievalState::fetching);
  }
}

TEST_CASE("pg retrieval store: a stale claim is taken over (database clock)", "[postgres][retrieval]") {
  Instance a(test::fresh_database());
  const std::string id = "TL-00000086-260101093000-0005";
  REQUIRE(a.store->create(retrieval(id)).ok());
  REQUIRE(a.store->set_process_id(id, "P").ok());
  REQUIRE(a.store->mark_notified(id, "P", "").ok());
  REQUIRE(a.store->claim_fetch(id, "dead-instance", 3600s).value());
  CHECK_FALSE(a.store->claim_fetch(id, "successor", 3600s).value());
  std::this_thread::sleep_for(1100ms);
  CHECK(a.store->claim_fetch(id, "successor", 1s).value());
  CHECK(a.store->find(id)->value().owner == "successor");
}

TEST_CASE("pg retrieval store: wait is woken by another instance through LISTEN/NOTIFY", "[postgres][retrieval]") {
  const std::string conninfo = test::fresh_database();
  pg::RetrievalStoreOptions slow_polling;
  slow_polling.poll_initial = 10s;  // only a notification can wake it within a second
  slow_polling.poll_max = 10s;
  Instance waiter(conninfo, slow_polling), notifier(conninfo);
  const std::string id = "TL-00000086-260101093000-0006";
  REQUIRE(waiter.store->create(retrieval(id)).ok());
  REQUIRE(waiter.store->set_process_id(id, "P").ok());
  std::this_thread::sleep_for(300ms);  // the LISTEN connection is up

  SECTION("notified") {
    std::thread other([&] {
      std::this_thread::sleep_for(200ms);
      (void)notifier.store->mark_notified(id, "P", "");
    });
    const auto started = std::chrono::steady_clock::now();
    auto state = waiter.store->wait(id, Context().with_timeout(8s));
    other.join();
    REQUIRE(state.ok());
    CHECK(*state == RetrievalState::notified);
    CHECK(std::chrono::steady_clock::now() - started < 1500ms);
  }
  SECTION("finished") {
    std::thread other([&] {
      std::this_thread::sleep_for(100ms);
      (void)notifier.store->finish(id, RetrievalState::failed);
    });
    auto state = waiter.store->wait(id, Context().with_timeout(8s));
    other.join();
    CHECK(state.value() == RetrievalState::failed);
  }
  SECTION("deadline") {
    const auto started = std::chrono::steady_clock::now();
    auto state = waiter.store->wait(id, Context().with_timeout(300ms));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(state.value() == RetrievalState::waiting);
    CHECK(elapsed >= 300ms);
    CHECK(elapsed < 1500ms);
  }
  SECTION("cancelled") {
    Context context;
    std::thread canceller([&] {
      std::this_thread::sleep_for(100ms);
      context.cancel();
    });
    auto state = waiter.store->wait(id, context);
    canceller.join();
    REQUIRE_FALSE(state.ok());
    CHECK(state.error().category() == ErrorCategory::cancelled);
  }
  SECTION("unknown id") { CHECK_FALSE(waiter.store->wait("TL-unknown", Context()).ok()); }
}

TEST_CASE("pg retrieval store: polling alone still wakes waiters", "[postgres][retrieval]") {
  const std::string conninfo = test::fresh_database();
  pg::RetrievalStoreOptions no_listen;
  no_listen.listen = false;
  no_listen.poll_initial = 50ms;
  no_listen.poll_max = 200ms;
  Instance waiter(conninfo, no_listen), notifier(conninfo);
  const std::string id = "TL-00000086-260101093000-0007";
  REQUIRE(waiter.store->create(retrieval(id)).ok());
  REQUIRE(waiter.store->set_process_id(id, "P").ok());
  std::thread other([&] {
    std::this_thread::sleep_for(300ms);
    (void)notifier.store->mark_notified(id, "P", "");
  });
  auto state = waiter.store->wait(id, Context().with_timeout(5s));
  other.join();
  CHECK(state.value() == RetrievalState::notified);
}

TEST_CASE("pg retrieval store: unfinished and purge", "[postgres][retrieval]") {
  Instance a(test::fresh_database());
  RetrievalStore& store = *a.store;
  for (int i = 0; i < 4; ++i) {
    Retrieval r = retrieval("TL-" + std::to_string(i));
    r.created_at = std::chrono::system_clock::now() + std::chrono::milliseconds(i);
    REQUIRE(store.create(r).ok());
  }
  REQUIRE(store.finish("TL-1", RetrievalState::fetched).ok());
  REQUIRE(store.finish("TL-3", RetrievalState::failed).ok());
  auto pending = store.unfinished();
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 2);
  CHECK((*pending)[0].telegram_id == "TL-0");
  CHECK((*pending)[1].telegram_id == "TL-2");
  REQUIRE(store.purge(3600s).ok());
  CHECK(store.find("TL-1")->has_value());
  REQUIRE(store.purge(0s).ok());
  CHECK_FALSE(store.find("TL-1")->has_value());
  CHECK_FALSE(store.find("TL-3")->has_value());
  CHECK(store.find("TL-0")->has_value());
}
