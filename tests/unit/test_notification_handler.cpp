#include <catch2/catch.hpp>

#include <mutex>
#include <tuple>

#include "myna/codec/envelope.hpp"
#include "myna/process/notification_handler.hpp"
#include "unit/temp_dir.hpp"

using namespace myna;

namespace {

const std::string kId = "TL-00000086-260101093000-0001";
const std::string kProcess = "PROC-0001";

std::string notification(const std::string& telegram_id = kId, const std::string& process_id = kProcess,
                         const std::string& error_code = "", const std::string& type = "IFA0302-R01") {
  return codec::encode_header(CommonHeader{telegram_id, type, "1", process_id, error_code});
}

CommonHeader reply_header(const NotificationReply& reply) {
  auto h = codec::decode_header(reply.body, Profile{});
  REQUIRE(h.ok());
  return *h;
}

struct Setup {
  Profile profile;
  std::shared_ptr<RetrievalStore> store = make_memory_retrieval_store();
  std::vector<std::string> log;
  std::mutex mu;
  NotificationHandler handler{profile, store,
                              Logger(
                                  [this](LogLevel, std::string_view line) {
                                    std::lock_guard<std::mutex> lock(mu);
                                    log.emplace_back(line);
                                  },
                                  LogLevel::trace)};

  explicit Setup(bool with_process_id = true) {
    Retrieval r;
    r.telegram_id = kId;
    r.citizen = "citizen-1";
    REQUIRE(store->create(r).ok());
    if (with_process_id) REQUIRE(store->set_process_id(kId, kProcess).ok());
  }
  Retrieval current() { return store->find(kId)->value(); }
};

}  // namespace

TEST_CASE("notification: accepted with the echo reply", "[notification]") {
  Setup s;
  const auto reply = s.handler.handle(notification());
  CHECK(reply.http_status == 200);
  CHECK(reply.accepted);
  const CommonHeader h = reply_header(reply);
  CHECK(h.telegram_id == kId);
  CHECK(h.telegram_type == "IFA0302-S01");
  CHECK(h.mode == "1");
  CHECK(h.process_id == kProcess);
  CHECK(h.error_code.empty());
  CHECK(s.current().state == RetrievalState::notified);
  REQUIRE_FALSE(s.log.empty());
  CHECK(s.log.back().find("accepted") != std::string::npos);
}

TEST_CASE("notification: duplicates are accepted again, idempotently", "[notification]") {
  Setup s;
  const auto first = s.handler.handle(notification());
  const auto second = s.handler.handle(notification());
  CHECK(second.http_status == 200);
  CHECK(second.accepted);
  CHECK(second.body == first.body);
  CHECK(s.current().state == RetrievalState::notified);

  REQUIRE(s.store->claim_fetch(kId, "me", std::chrono::seconds(60)).value());
  CHECK(s.handler.handle(notification()).http_status == 200);
  REQUIRE(s.store->finish(kId, RetrievalState::fetched).ok());
  const auto after_fetch = s.handler.handle(notification());
  CHECK(after_fetch.http_status == 200);
  CHECK(after_fetch.accepted);
  CHECK(s.current().state == RetrievalState::fetched);
}

TEST_CASE("notification: forged ids are 404 and change nothing", "[notification][security]") {
  Setup s;
  const Retrieval before = s.current();
  for (const auto& body : {notification("TL-00000086-260101093000-9999"), notification(kId, "PROC-FORGED")}) {
    const auto reply = s.handler.handle(body);
    CHECK(reply.http_status == 404);
    CHECK_FALSE(reply.accepted);
    CHECK(reply_header(reply).error_code == "E0002");
    const Retrieval after = s.current();
    CHECK(after.state == before.state);
    CHECK(after.process_id == before.process_id);
    CHECK(after.updated_at == before.updated_at);
  }
}

TEST_CASE("notification: late ones are 409", "[notification]") {
  for (auto final_state : {RetrievalState::timed_out, RetrievalState::failed}) {
    Setup s;
    REQUIRE(s.store->finish(kId, final_state).ok());
    const auto reply = s.handler.handle(notification());
    CHECK(reply.http_status == 409);
    CHECK_FALSE(reply.accepted);
    CHECK(s.current().state == final_state);
  }
}

TEST_CASE("notification: malformed bodies are 400 with E0001", "[notification]") {
  Setup s;
  for (const std::string& body :
       std::vector<std::string>{std::string("not json"), std::string("{}"), std::string(""),
                                std::string(R"({"commonHeader":{"telegramId":"x"}})"),
                                std::string(R"({"commonHeader":{"telegramId":1,"telegramType":"IFA0302-R01",)"
                                            R"("mode":"1","processId":"P","errorCode":""}})"),
                                notification("", kProcess), notification(kId, "")}) {
    const auto reply = s.handler.handle(body);
    INFO(body);
    CHECK(reply.http_status == 400);
    CHECK_FALSE(reply.accepted);
    CHECK(reply_header(reply).error_code == "E0001");
    CHECK(reply_header(reply).telegram_type == "IFA0302-S01");
  }
  CHECK(s.current().state == RetrievalState::waiting);
}

TEST_CASE("notification: the wrong telegramType is refused", "[notification]") {
  Setup s;
  for (const char* type : {"IFA0301-R01", "IFA0302-S01", "IFA0303-R01", ""}) {
    const auto reply = s.handler.handle(notification(kId, kProcess, "", type));
    CHECK(reply.http_status == 400);
    CHECK_FALSE(reply.accepted);
  }
  CHECK(s.current().state == RetrievalState::waiting);
}

TEST_CASE("notification: before the request response it is provisional and counts once confirmed",
          "[notification][security]") {
  Setup s(false);
  CHECK(s.current().state == RetrievalState::requested);
  const auto early = s.handler.handle(notification());
  CHECK(early.http_status == 404);  // answered like an unknown id: the outsider learns nothing
  CHECK_FALSE(early.accepted);
  CHECK(reply_header(early).error_code == "E0002");
  CHECK(s.current().state == RetrievalState::requested);
  CHECK(s.current().process_id.empty());
  REQUIRE(s.store->set_process_id(kId, kProcess).ok());  // the service's response confirms it
  CHECK(s.current().state == RetrievalState::notified);
  const auto again = s.handler.handle(notification());  // a re-sent notification: now a duplicate
  CHECK(again.http_status == 200);
  CHECK(again.accepted);
}

TEST_CASE("notification: a forged one in the request window never affects the retrieval", "[notification][security]") {
  Setup s(false);
  const auto forged = s.handler.handle(notification(kId, "PROC-FORGED"));
  CHECK(forged.http_status == 404);
  CHECK_FALSE(forged.accepted);
  CHECK(s.current().state == RetrievalState::requested);
  CHECK(s.current().process_id.empty());
  REQUIRE(s.store->set_process_id(kId, kProcess).ok());  // no "different processId" failure
  CHECK(s.current().state == RetrievalState::waiting);
  CHECK(s.handler.handle(notification(kId, "PROC-FORGED")).http_status == 404);
  const auto genuine = s.handler.handle(notification());
  CHECK(genuine.http_status == 200);
  CHECK(genuine.accepted);
  CHECK(s.current().state == RetrievalState::notified);
}

TEST_CASE("notification: unknown, mismatched, unconfirmed and ended-unconfirmed ids get the same answer",
          "[notification][security]") {
  // The answer depends only on what the sender already knows (its own ids), never on which
  // telegramIds are live: the body is the echo with E0002 and the status 404 in every case.
  const std::string other = "TL-00000086-260101093000-0002";
  auto answer = [](Setup& s, const std::string& telegram_id, const std::string& process_id) {
    NotificationReply reply = s.handler.handle(notification(telegram_id, process_id));
    std::string body = reply.body;
    if (const auto at = body.find(telegram_id); at != std::string::npos) body.replace(at, telegram_id.size(), "<id>");
    return std::make_tuple(reply.http_status, reply.accepted, body);
  };
  Setup unconfirmed(false);
  Setup confirmed(true);
  Setup ended(false);
  REQUIRE(ended.store->finish(kId, RetrievalState::failed).ok());
  const auto unknown = answer(confirmed, other, "PROC-X");
  CHECK(std::get<0>(unknown) == 404);
  CHECK(answer(confirmed, kId, "PROC-X") == unknown);    // live, another processId
  CHECK(answer(unconfirmed, kId, "PROC-X") == unknown);  // live, processId not confirmed yet
  CHECK(answer(ended, kId, "PROC-X") == unknown);        // ended before its processId was known
  CHECK(unconfirmed.current().state == RetrievalState::requested);
  CHECK(confirmed.current().state == RetrievalState::waiting);
}

TEST_CASE("notification: an error code is recorded for the fetcher", "[notification]") {
  Setup s;
  const auto reply = s.handler.handle(notification(kId, kProcess, "E0004"));
  CHECK(reply.http_status == 200);
  CHECK(reply_header(reply).error_code == "E0004");
  CHECK(s.current().state == RetrievalState::notified);
  CHECK(s.current().error_code == "E0004");
}

TEST_CASE("notification: the profile's success code is not an error", "[notification]") {
  Profile profile;
  profile.success_code = "0000";
  auto store = make_memory_retrieval_store();
  Retrieval r;
  r.telegram_id = kId;
  REQUIRE(store->create(r).ok());
  REQUIRE(store->set_process_id(kId, kProcess).ok());
  NotificationHandler handler(profile, store);
  const auto reply = handler.handle(notification(kId, kProcess, "0000"));
  CHECK(reply.http_status == 200);
  CHECK(reply_header(reply).error_code == "0000");
  CHECK(store->find(kId)->value().error_code.empty());
}

TEST_CASE("notification: works over the file store", "[notification][file]") {
  test::TempDir tmp;
  auto store = make_file_retrieval_store(tmp.sub("r")).value();
  Retrieval r;
  r.telegram_id = kId;
  REQUIRE(store->create(r).ok());
  REQUIRE(store->set_process_id(kId, kProcess).ok());
  NotificationHandler handler(Profile{}, store);
  CHECK(handler.handle(notification(kId, "PROC-FORGED")).http_status == 404);
  CHECK(handler.handle(notification()).http_status == 200);
  CHECK(handler.handle(notification()).http_status == 200);
  CHECK(store->find(kId)->value().state == RetrievalState::notified);
}

TEST_CASE("notification: log lines carry no control characters from the request", "[notification][security]") {
  Setup s;
  (void)s.handler.handle(notification("TL-evil\nFAKE LOG LINE", kProcess));
  REQUIRE_FALSE(s.log.empty());
  for (const auto& line : s.log) CHECK(line.find('\n') == std::string::npos);
}
