// The client against the sandbox over real loopback HTTPS with mutual TLS, through libcurl.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include "e2e/world.hpp"

using namespace myna;
using test::World;

namespace {
Query year(RecordType type, const char* from = "20240101", const char* to = "20241231") {
  return make_query(type, from, to).value();
}

template <class R>
std::vector<R> truth(World& w, std::size_t citizen, const Query& q) {
  return w.sandbox().generator().records<R>(citizen, q);
}

sandbox::SandboxOptions with_faults(const sandbox::Faults& f) {
  auto o = World::fast_sandbox();
  o.faults = f;
  return o;
}
}  // namespace

TEST_CASE("happy path: all three record types equal the sandbox's ground truth", "[e2e]") {
  World w;
  REQUIRE(w.consent("alice", "C0000005").ok());
  auto dq = year(RecordType::drug), cq = year(RecordType::checkup), eq = year(RecordType::expense);
  auto drugs = w.client().fetch_drugs("alice", dq);
  REQUIRE(drugs.ok());
  CHECK(!drugs->empty());
  CHECK(test::same_records(drugs->records, truth<DrugRecord>(w, 5, dq)));
  auto checkups = w.client().fetch_checkups("alice", cq);
  REQUIRE(checkups.ok());
  CHECK(!checkups->empty());
  CHECK(test::same_records(checkups->records, truth<CheckupRecord>(w, 5, cq)));
  auto expenses = w.client().fetch_expenses("alice", eq);
  REQUIRE(expenses.ok());
  CHECK(test::same_records(expenses->records, truth<MedicalExpenseRecord>(w, 5, eq)));
  // The sandbox counts an ack when the listener's reply reaches it, possibly after the fetch.
  for (int i = 0; i < 1000 && w.sandbox().stats().notifications_acked < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto stats = w.sandbox().stats();
  CHECK(stats.requests == 3);
  CHECK(stats.results == 3);
  CHECK(stats.notifications_acked == 3);
}

TEST_CASE("streaming hands over the same records as they are decoded", "[e2e]") {
  World w;
  REQUIRE(w.consent("bob", "C0000002").ok());
  auto q = year(RecordType::drug, "20220101", "20261031");
  std::vector<DrugRecord> streamed;
  auto info = w.client().fetch_stream<DrugRecord>("bob", q, [&](DrugRecord&& r) {
    streamed.push_back(std::move(r));
    return Status();
  });
  REQUIRE(info.ok());
  CHECK(streamed.size() > 50);
  CHECK(info->records == streamed.size());
  CHECK(info->bytes > 0);
  CHECK(info->notified);
  CHECK(test::same_records(streamed, truth<DrugRecord>(w, 2, q)));
}

TEST_CASE("batch: many citizens in flight, each equal to its ground truth", "[e2e]") {
  World w;
  std::vector<std::string> users;
  for (int i = 10; i < 40; ++i) {
    users.push_back("user-" + std::to_string(i));
    REQUIRE(w.consent(users.back(), sandbox::citizen_id(static_cast<std::size_t>(i))).ok());
  }
  users.push_back("never-consented");
  auto q = year(RecordType::expense);
  std::mutex mu;
  std::size_t mismatches = 0, delivered = 0;
  auto report = w.client().batch<MedicalExpenseRecord>(
      users, q,
      [&](const std::string& user, std::vector<MedicalExpenseRecord>&& records) {
        std::size_t index = static_cast<std::size_t>(std::stoi(user.substr(5)));
        std::lock_guard<std::mutex> lock(mu);
        delivered += records.size();
        if (!test::same_records(records, truth<MedicalExpenseRecord>(w, index, q))) ++mismatches;
        return Status();
      },
      BatchOptions{8});
  CHECK(report.succeeded == 30);
  CHECK(report.failed == 1);
  CHECK(mismatches == 0);
  CHECK(delivered > 0);
  REQUIRE(report.outcomes.size() == users.size());
  CHECK(report.outcomes.back().status.error().category() == ErrorCategory::consent_required);
}

TEST_CASE("a query for another record type is refused before any call", "[e2e]") {
  World w;
  REQUIRE(w.consent("carol", "C0000001").ok());
  auto r = w.client().fetch<DrugRecord>("carol", year(RecordType::checkup));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().category() == ErrorCategory::validation);
  CHECK(w.sandbox().stats().requests == 0);
}

TEST_CASE("consent: state mismatch, wrong redirect_uri, reused code, refusals, missing client cert", "[e2e]") {
  World w;
  SECTION("state mismatch") {
    auto first = w.client().begin_consent().value();
    auto second = w.client().begin_consent().value();
    std::string redirect = w.sandbox().authorize_as("C0000001", first.url);
    Status st = w.client().complete_consent("x", redirect, second);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().category() == ErrorCategory::auth);
    CHECK(w.sandbox().stats().tokens_issued == 0);
  }
  SECTION("reused code") {
    auto request = w.client().begin_consent().value();
    std::string redirect = w.sandbox().authorize_as("C0000001", request.url);
    REQUIRE(w.client().complete_consent("x", redirect, request).ok());
    Status again = w.client().complete_consent("y", redirect, request);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().category() == ErrorCategory::auth);
    CHECK(again.error().service_code() == "invalid_grant");
  }
  SECTION("wrong redirect_uri: the consent page does not redirect") {
    auto request = w.client().begin_consent().value();
    std::string url = request.url;
    auto pos = url.find("redirect_uri=");
    url.insert(pos + 13, "https%3A%2F%2Fevil.example%2F");
    std::string redirect = w.sandbox().authorize_as("C0000001", url);
    CHECK(redirect.find("code=") == std::string::npos);
    CHECK_FALSE(w.client().complete_consent("x", redirect, request).ok());
  }
  SECTION("a token exchanged with a different redirect_uri is refused") {
    auto request = w.client().begin_consent().value();
    std::string redirect = w.sandbox().authorize_as("C0000001", request.url);
    ClientOptions other = w.options();
    other.profile.redirect_uri = "https://127.0.0.1/other";
    auto client2 = Client::create(other).value();
    Status st = client2->complete_consent("x", redirect, request);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().category() == ErrorCategory::auth);
  }
  SECTION("missing client certificate") {
    ClientOptions other = w.options();
    other.curl.tls.client_cert_file.clear();
    other.curl.tls.client_key_file.clear();
    auto client2 = Client::create(other).value();
    auto request = client2->begin_consent().value();
    std::string redirect = w.sandbox().authorize_as("C0000001", request.url);
    Status st = client2->complete_consent("x", redirect, request);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().category() == ErrorCategory::tls);
  }
}

TEST_CASE("refused consent and expired card certificate are typed outcomes", "[e2e]") {
  auto o = World::fast_sandbox();
  o.denying_citizens = {"C0000007"};
  o.expired_certificate_citizens = {"C0000008"};
  World w(o);
  CHECK(w.consent("d", "C0000007").error().category() == ErrorCategory::consent_denied);
  CHECK(w.consent("d", "C0000007").error().category() == ErrorCategory::consent_denied);  // both refusal forms
  // The sandbox's expired-card redirect replaces the state (as seen in the wild): it cannot be
  // verified, so it is an auth error ("try again") that names the claim in its service code.
  const Error expired = w.consent("e", "C0000008").error();
  CHECK(expired.category() == ErrorCategory::auth);
  CHECK(expired.service_code() == "certificate_expired");
}

TEST_CASE("a forged notification never causes a result fetch", "[e2e]") {
  World w;
  REQUIRE(w.consent("f", "C0000001").ok());
  std::string forged = codec::encode_header(
      {"TL-00000086-260101093000-0042", w.client().profile().notification_type, "1", "P999999999999", ""});
  auto reply = w.client().notification_handler().handle(forged);
  CHECK(reply.http_status == 404);
  CHECK_FALSE(reply.accepted);
  auto stats = w.sandbox().stats();
  CHECK(stats.results == 0);
  CHECK(stats.result_fetches_for_unknown_process == 0);

  // Forged notifications sent by the sandbox alongside real ones change nothing.
  sandbox::Faults f;
  f.forged_notification = 1.0;
  w.sandbox().set_faults(f);
  auto q = year(RecordType::drug);
  auto drugs = w.client().fetch_drugs("f", q);
  REQUIRE(drugs.ok());
  CHECK(test::same_records(drugs->records, truth<DrugRecord>(w, 1, q)));
  for (int i = 0; i < 100 && w.sandbox().stats().forged_sent == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stats = w.sandbox().stats();
  CHECK(stats.forged_sent >= 1);
  CHECK(stats.forged_accepted == 0);
  CHECK(stats.results == 1);
  CHECK(stats.result_fetches_for_unknown_process == 0);
}

TEST_CASE("duplicate and late notifications change nothing", "[e2e]") {
  sandbox::Faults f;
  f.duplicate_notification = 1.0;
  World w(with_faults(f));
  REQUIRE(w.consent("g", "C0000003").ok());
  auto q = year(RecordType::drug);
  auto first = w.client().fetch_drugs("g", q);
  REQUIRE(first.ok());
  CHECK(test::same_records(first->records, truth<DrugRecord>(w, 3, q)));
  f = {};
  f.late_notification = 1.0;
  f.late_delay = std::chrono::milliseconds(500);
  w.sandbox().set_faults(f);
  auto second = w.client().fetch_drugs("g", q);
  REQUIRE(second.ok());
  CHECK(test::same_records(second->records, truth<DrugRecord>(w, 3, q)));
  CHECK(w.sandbox().stats().results == 2);
}

TEST_CASE("a missing notification falls back to one result fetch", "[e2e]") {
  sandbox::Faults f;
  f.missing_notification = 1.0;
  World w(with_faults(f), [](ClientOptions& o) { o.notification_timeout = std::chrono::milliseconds(600); });
  REQUIRE(w.consent("h", "C0000004").ok());
  auto q = year(RecordType::expense);
  auto r = w.client().fetch_expenses("h", q);
  REQUIRE(r.ok());
  CHECK(test::same_records(r->records, truth<MedicalExpenseRecord>(w, 4, q)));
  CHECK(w.sandbox().stats().notifications_sent == 0);
}

TEST_CASE("transient faults are retried until the records arrive", "[e2e]") {
  struct Case {
    const char* name;
    sandbox::Faults faults;
  };
  auto make = [](auto set) {
    sandbox::Faults f;
    set(f);
    f.seed = 11;
    return f;
  };
  Case cases[] = {
      {"500", make([](sandbox::Faults& f) { f.http_500 = 0.4; })},
      {"429", make([](sandbox::Faults& f) { f.rate_limit_429 = 0.3; })},
      {"dropped connection", make([](sandbox::Faults& f) { f.drop_connection = 0.4; })},
      {"truncated body", make([](sandbox::Faults& f) { f.truncated_body = 0.5; })},
      {"malformed JSON", make([](sandbox::Faults& f) { f.malformed_json = 0.4; })},
      {"expired token", make([](sandbox::Faults& f) { f.expired_token = 0.3; })},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    World w(with_faults(c.faults), [](ClientOptions& o) { o.retry.max_attempts = 8; });
    REQUIRE(w.consent("i", "C0000006").ok());
    auto q = year(RecordType::drug);
    for (int round = 0; round < 5; ++round) {
      auto r = w.client().fetch_drugs("i", q);
      REQUIRE(r.ok());
      CHECK(test::same_records(r->records, truth<DrugRecord>(w, 6, q)));
    }
    CHECK(w.sandbox().stats().faults_injected > 0);
  }
}

TEST_CASE("persistent faults surface as the right typed error", "[e2e]") {
  auto run = [](sandbox::Faults f) {
    World w(with_faults(f), [](ClientOptions& o) {
      o.retry.max_attempts = 2;
      o.retry.max_retry_after = std::chrono::milliseconds(100);
    });
    REQUIRE(w.consent("j", "C0000001").ok());
    auto r = w.client().fetch_drugs("j", year(RecordType::drug));
    REQUIRE_FALSE(r.ok());
    return r.error();
  };
  sandbox::Faults f;
  f.maintenance_503 = 1.0;
  Error maintenance = run(f);
  CHECK(maintenance.category() == ErrorCategory::maintenance);
  CHECK(maintenance.retry_after().has_value());
  f = {};
  f.http_500 = 1.0;
  Error server = run(f);
  CHECK(server.category() == ErrorCategory::http);
  CHECK(server.http_status() == 500);
  f = {};
  f.rate_limit_429 = 1.0;
  CHECK(run(f).category() == ErrorCategory::rate_limited);
  f = {};
  f.drop_connection = 1.0;
  CHECK(run(f).category() == ErrorCategory::network);
  f = {};
  f.malformed_json = 1.0;
  CHECK(run(f).category() == ErrorCategory::decode);
}

TEST_CASE("a revoked token is refreshed; without refresh the citizen must consent again", "[e2e]") {
  World w;
  REQUIRE(w.consent("k", "C0000009").ok());
  auto q = year(RecordType::expense);
  w.sandbox().revoke_tokens("C0000009");
  auto r = w.client().fetch_expenses("k", q);
  CHECK_FALSE(r.ok());  // revoked also kills the refresh token
  CHECK((r.error().category() == ErrorCategory::consent_required || r.error().category() == ErrorCategory::auth));
  REQUIRE(w.consent("k", "C0000009").ok());
  CHECK(w.client().fetch_expenses("k", q).ok());
}

namespace {
/// A memory store that remembers the last retrieval the client created.
class RecordingStore final : public RetrievalStore {
 public:
  Status create(const Retrieval& r) override {
    last_id = r.telegram_id;
    return inner->create(r);
  }
  Result<std::optional<Retrieval>> find(const std::string& id) override { return inner->find(id); }
  Status set_process_id(const std::string& id, const std::string& process_id) override {
    last_process_id = process_id;
    return inner->set_process_id(id, process_id);
  }
  Result<std::optional<RetrievalState>> mark_notified(const std::string& id, const std::string& process_id,
                                                      const std::string& code) override {
    return inner->mark_notified(id, process_id, code);
  }
  Result<bool> claim_fetch(const std::string& id, const std::string& owner, std::chrono::seconds stale) override {
    return inner->claim_fetch(id, owner, stale);
  }
  Status finish(const std::string& id, RetrievalState state) override { return inner->finish(id, state); }
  Result<RetrievalState> wait(const std::string& id, const Context& context) override {
    return inner->wait(id, context);
  }
  Result<std::vector<Retrieval>> unfinished() override { return inner->unfinished(); }
  Status purge(std::chrono::seconds older_than) override {
    ++purges;
    return inner->purge(older_than);
  }

  std::shared_ptr<RetrievalStore> inner = make_memory_retrieval_store();
  std::string last_id, last_process_id;
  std::atomic<int> purges{0};
};

/// The sandbox's notification for the last retrieval, sent again.
NotificationReply repeat_notification(World& w, const RecordingStore& store) {
  const Profile& p = w.client().profile();
  return w.client().notification_handler().handle(
      codec::encode_header({store.last_id, p.notification_type, p.mode, store.last_process_id, ""}));
}
}  // namespace

TEST_CASE("finished retrievals are purged after keep_finished; a duplicate before then is still accepted", "[e2e]") {
  auto store = std::make_shared<RecordingStore>();
  std::optional<std::chrono::seconds> keep;
  SECTION("default: kept for a while, duplicates answered 200") { keep = ClientOptions().keep_finished; }
  SECTION("never purged") { keep = std::nullopt; }
  SECTION("purged at once") { keep = std::chrono::seconds(0); }
  World w(World::fast_sandbox(), [&](ClientOptions& o) {
    o.retrieval_store = store;
    o.keep_finished = keep;
  });
  REQUIRE(w.consent("p", "C0000004").ok());
  REQUIRE(w.client().fetch_expenses("p", year(RecordType::expense)).ok());
  auto kept = store->inner->find(store->last_id);
  REQUIRE(kept.ok());
  NotificationReply duplicate = repeat_notification(w, *store);
  if (keep && keep->count() == 0) {
    CHECK_FALSE(kept->has_value());
    CHECK(duplicate.http_status == 404);
    CHECK(store->purges == 1);
  } else {
    REQUIRE(kept->has_value());
    CHECK((*kept)->state == RetrievalState::fetched);
    CHECK(duplicate.http_status == 200);
    CHECK(duplicate.accepted);
    CHECK(store->purges == (keep ? 1 : 0));  // the first finished retrieval purges once
  }
}
