#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "internal/crypto.hpp"
#include "myna/process/retrieval.hpp"
#include "unit/request_window_checks.hpp"
#include "unit/retrieval_fixtures.hpp"
#include "unit/temp_dir.hpp"

using namespace myna;
using namespace std::chrono_literals;
using test::race;
using test::retrieval;
using test::state_of;

namespace {

struct MemoryStore {
  std::shared_ptr<RetrievalStore> store = make_memory_retrieval_store();
};

struct FileStore {
  test::TempDir tmp;
  std::shared_ptr<RetrievalStore> store = make_file_retrieval_store(tmp.sub("retrievals")).value();
};

}  // namespace

TEMPLATE_TEST_CASE("retrieval store: create and find", "[retrieval]", MemoryStore, FileStore) {
  TestType s;
  RetrievalStore& store = *s.store;
  Retrieval r = retrieval("TL-00000086-260101093000-0001");
  r.state = RetrievalState::fetched;  // create() always starts at requested
  REQUIRE(store.create(r).ok());
  auto found = store.find(r.telegram_id);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  const Retrieval& got = **found;
  CHECK(got.telegram_id == r.telegram_id);
  CHECK(got.citizen == "市民-\"1\"");
  CHECK(got.type == RecordType::checkup);
  CHECK(got.from == r.from);
  CHECK(got.to == r.to);
  CHECK(got.state == RetrievalState::requested);
  CHECK(got.process_id.empty());
  CHECK(got.created_at.time_since_epoch().count() != 0);

  auto duplicate = store.create(r);
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().category() == ErrorCategory::validation);
  CHECK_FALSE(store.find("TL-unknown")->has_value());
  CHECK_FALSE(store.create(retrieval("")).ok());
}

TEMPLATE_TEST_CASE("retrieval store: the normal path", "[retrieval]", MemoryStore, FileStore) {
  TestType s;
  RetrievalStore& store = *s.store;
  const std::string id = "TL-00000086-260101093000-0002";
  REQUIRE(store.create(retrieval(id)).ok());

  REQUIRE(store.set_process_id(id, "P-1").ok());
  CHECK(state_of(store, id) == RetrievalState::waiting);
  CHECK(store.set_process_id(id, "P-1").ok());  // the same again: no-op
  auto other = store.set_process_id(id, "P-2");
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().category() == ErrorCategory::protocol);
  CHECK_FALSE(store.set_process_id("TL-unknown", "P-1").ok());

  CHECK_FALSE(store.claim_fetch(id, "me", 60s).value());  // not notified yet

  auto notified = store.mark_notified(id, "P-1", "");
  REQUIRE(notified.ok());
  CHECK(*notified == RetrievalState::notified);
  CHECK(store.mark_notified(id, "P-1", "").value() == RetrievalState::notified);  // duplicate

  CHECK(store.claim_fetch(id, "me", 60s).value());
  CHECK(store.find(id)->value().owner == "me");
  CHECK(store.mark_notified(id, "P-1", "").value() == RetrievalState::fetching);
  CHECK_FALSE(store.claim_fetch(id, "other", 60s).value());

  REQUIRE(store.finish(id, RetrievalState::fetched).ok());
  CHECK(state_of(store, id) == RetrievalState::fetched);
  CHECK(store.finish(id, RetrievalState::fetched).ok());  // idempotent
  CHECK_FALSE(store.finish(id, RetrievalState::failed).ok());
  CHECK(store.mark_notified(id, "P-1", "").value() == RetrievalState::fetched);  // late duplicate
}

TEMPLATE_TEST_CASE("retrieval store: mark_notified refusals", "[retrieval]", MemoryStore, FileStore) {
  TestType s;
  RetrievalStore& store = *s.store;
  const std::string id = "TL-00000086-260101093000-0003";
  REQUIRE(store.create(retrieval(id)).ok());
  REQUIRE(store.set_process_id(id, "P-1").ok());

  CHECK_FALSE(store.mark_notified("TL-unknown", "P-1", "").value().has_value());
  CHECK_FALSE(store.mark_notified(id, "P-forged", "").value().has_value());
  CHECK_FALSE(store.mark_notified(id, "", "").value().has_value());
  CHECK(state_of(store, id) == RetrievalState::waiting);

  REQUIRE(store.finish(id, RetrievalState::timed_out).ok());
  CHECK_FALSE(store.mark_notified(id, "P-1", "").value().has_value());  // late
  CHECK(state_of(store, id) == RetrievalState::timed_out);
  CHECK_FALSE(store.finish(id, RetrievalState::waiting).ok());  // not a final state
}

TEMPLATE_TEST_CASE("retrieval store: a forged notification in the request window never affects the retrieval",
                   "[retrieval][security]", MemoryStore, FileStore) {
  TestType s;
  test::check_forged_notification_in_request_window(*s.store, *s.store, "TL-00000086-260101093000-0004");
}

TEMPLATE_TEST_CASE("retrieval store: a genuine notification in the request window counts once confirmed",
                   "[retrieval][security]", MemoryStore, FileStore) {
  TestType s;
  test::check_genuine_notification_in_request_window(*s.store, *s.store, "TL-00000086-260101093000-0005");
}

TEMPLATE_TEST_CASE("retrieval store: provisional notifications are bounded", "[retrieval][security]", MemoryStore,
                   FileStore) {
  TestType s;
  test::check_provisional_notifications_are_bounded(*s.store, "TL-00000086-260101093000-0006",
                                                    "TL-00000086-260101093000-0007");
}

TEMPLATE_TEST_CASE("retrieval store: exactly one of 8 racing threads claims the fetch", "[retrieval][threads]",
                   MemoryStore, FileStore) {
  TestType s;
  RetrievalStore& store = *s.store;
  for (int round = 0; round < 5; ++round) {
    const std::string id = "TL-00000086-260101093000-010" + std::to_string(round);
    REQUIRE(store.create(retrieval(id)).ok());
    REQUIRE(store.set_process_id(id, "P").ok());
    REQUIRE(store.mark_notified(id, "P", "").value() == RetrievalState::notified);
    const int winners = race(8, [&](int i) {
      auto claimed = store.claim_fetch(id, "worker-" + std::to_string(i), 3600s);
      return claimed.ok() && *claimed;
    });
    CHECK(winners == 1);
    CHECK(state_of(store, id) == RetrievalState::fetching);
  }
}

TEMPLATE_TEST_CASE("retrieval store: a stale claim is taken over", "[retrieval]", MemoryStore, FileStore) {
  TestType s;
  RetrievalStore& store = *s.store;
  const std::string id = "TL-00000086-260101093000-0005";
  REQUIRE(store.create(retrieval(id)).ok());
  REQUIRE(store.set_process_id(id, "P").ok());
  REQUIRE(store.mark_notified(id, "P", "").ok());
  REQUIRE(store.claim_fetch(id, "dead-instance", 3600s).value());
  CHECK_FALSE(store.claim_fetch(id, "successor", 3600s).value());
  CHECK(store.claim_fetch(id, "successor", 0s).value());
  CHECK(store.find(id)->value().owner == "successor");
}

TEMPLATE_TEST_CASE("retrieval store: wait", "[retrieval][wait]", MemoryStore, FileStore) {
  TestType s;
  RetrievalStore& store = *s.store;
  const std::string id = "TL-00000086-260101093000-0006";
  REQUIRE(store.create(retrieval(id)).ok());
  REQUIRE(store.set_process_id(id, "P").ok());

  SECTION("wakes when the notification arrives") {
    std::thread notifier([&] {
      std::this_thread::sleep_for(100ms);
      (void)store.mark_notified(id, "P", "");
    });
    const auto started = std::chrono::steady_clock::now();
    auto state = store.wait(id, Context().with_timeout(5s));
    notifier.join();
    REQUIRE(state.ok());
    CHECK(*state == RetrievalState::notified);
    CHECK(std::chrono::steady_clock::now() - started < 1s);
  }
  SECTION("wakes when the retrieval is finished") {
    std::thread finisher([&] {
      std::this_thread::sleep_for(50ms);
      (void)store.finish(id, RetrievalState::failed);
    });
    auto state = store.wait(id, Context().with_timeout(5s));
    finisher.join();
    CHECK(state.value() == RetrievalState::failed);
  }
  SECTION("returns the pending state at the deadline") {
    const auto started = std::chrono::steady_clock::now();
    auto state = store.wait(id, Context().with_timeout(150ms));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    REQUIRE(state.ok());
    CHECK(*state == RetrievalState::waiting);
    CHECK(elapsed >= 150ms);
    CHECK(elapsed < 1s);
  }
  SECTION("stops when cancelled") {
    Context context;
    std::thread canceller([&] {
      std::this_thread::sleep_for(100ms);
      context.cancel();
    });
    const auto started = std::chrono::steady_clock::now();
    auto state = store.wait(id, context);
    canceller.join();
    REQUIRE_FALSE(state.ok());
    CHECK(state.error().category() == ErrorCategory::cancelled);
    CHECK(std::chrono::steady_clock::now() - started < 1s);
  }
  SECTION("returns at once when already notified, fails for unknown ids") {
    REQUIRE(store.mark_notified(id, "P", "").ok());
    CHECK(store.wait(id, Context()).value() == RetrievalState::notified);
    CHECK_FALSE(store.wait("TL-unknown", Context()).ok());
  }
}

TEMPLATE_TEST_CASE("retrieval store: a change wakes the waiters of that retrieval only", "[retrieval][wait]",
                   MemoryStore, FileStore) {
  TestType s;
  RetrievalStore& store = *s.store;
  const std::string a = "TL-00000086-260101093000-0007", b = "TL-00000086-260101093000-0008";
  for (const auto& id : {a, b}) {
    REQUIRE(store.create(retrieval(id)).ok());
    REQUIRE(store.set_process_id(id, "P" + id.substr(id.size() - 1)).ok());
  }
  std::vector<Result<RetrievalState>> on_a(2, Error(ErrorCategory::timeout, "not run"));
  Result<RetrievalState> on_b = Error(ErrorCategory::timeout, "not run");
  std::vector<std::thread> waiters;
  for (auto& out : on_a) waiters.emplace_back([&] { out = store.wait(a, Context().with_timeout(5s)); });
  waiters.emplace_back([&] { on_b = store.wait(b, Context().with_timeout(400ms)); });
  std::this_thread::sleep_for(50ms);
  REQUIRE(store.mark_notified(a, "P7", "").ok());
  for (auto& t : waiters) t.join();
  for (auto& out : on_a) CHECK(out.value() == RetrievalState::notified);
  CHECK(on_b.value() == RetrievalState::waiting);  // woke only at its own deadline
  CHECK(state_of(store, b) == RetrievalState::waiting);
  REQUIRE(store.mark_notified(b, "P8", "").ok());
  CHECK(store.wait(b, Context().with_timeout(5s)).value() == RetrievalState::notified);
}

TEMPLATE_TEST_CASE("retrieval store: unfinished and purge", "[retrieval]", MemoryStore, FileStore) {
  TestType s;
  RetrievalStore& store = *s.store;
  for (int i = 0; i < 4; ++i) REQUIRE(store.create(retrieval("TL-" + std::to_string(i))).ok());
  REQUIRE(store.finish("TL-1", RetrievalState::fetched).ok());
  REQUIRE(store.finish("TL-3", RetrievalState::failed).ok());

  auto pending = store.unfinished();
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 2);
  CHECK((*pending)[0].telegram_id == "TL-0");
  CHECK((*pending)[1].telegram_id == "TL-2");

  REQUIRE(store.purge(3600s).ok());  // too recent
  CHECK(store.find("TL-1")->has_value());
  REQUIRE(store.purge(0s).ok());
  CHECK_FALSE(store.find("TL-1")->has_value());
  CHECK_FALSE(store.find("TL-3")->has_value());
  CHECK(store.find("TL-0")->has_value());
  CHECK(store.find("TL-2")->has_value());
}

TEST_CASE("file retrieval store: two store objects on one directory", "[retrieval][file]") {
  test::TempDir tmp;
  const std::string dir = tmp.sub("shared");
  auto a = make_file_retrieval_store(dir).value();
  auto b = make_file_retrieval_store(dir).value();
  const std::string id = "TL-00000086-260101093000-0007";
  REQUIRE(a->create(retrieval(id)).ok());
  CHECK_FALSE(b->create(retrieval(id)).ok());
  REQUIRE(b->set_process_id(id, "P").ok());
  CHECK(state_of(*a, id) == RetrievalState::waiting);

  std::thread notifier([&] {
    std::this_thread::sleep_for(100ms);
    (void)b->mark_notified(id, "P", "");
  });
  const auto started = std::chrono::steady_clock::now();
  auto state = a->wait(id, Context().with_timeout(5s));  // a learns of it by polling
  notifier.join();
  CHECK(state.value() == RetrievalState::notified);
  CHECK(std::chrono::steady_clock::now() - started < 1s);

  const int winners = race(8, [&](int i) {
    auto& store = i % 2 ? a : b;
    auto claimed = store->claim_fetch(id, "worker-" + std::to_string(i), 3600s);
    return claimed.ok() && *claimed;
  });
  CHECK(winners == 1);
}

TEST_CASE("file retrieval store: private files named by hash, corrupt files", "[retrieval][file]") {
  test::TempDir tmp;
  const std::string dir = tmp.sub("r");
  auto store = make_file_retrieval_store(dir).value();
  const std::string id = "../../TL-evil";
  REQUIRE(store->create(retrieval(id)).ok());
  const std::string file = dir + "/" + internal::sha256_hex(id) + ".retrieval.json";
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);

  std::ofstream(file, std::ios::trunc) << R"({"version":1,"telegramId":)";
  auto found = store->find(id);
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().category() == ErrorCategory::storage);
  CHECK_FALSE(store->unfinished().ok());
  CHECK_FALSE(store->mark_notified(id, "P", "").ok());
}
