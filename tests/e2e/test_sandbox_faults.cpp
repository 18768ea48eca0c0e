// Every switchable fault of the sandbox, observed from the wire as a client sees it.
#include <catch2/catch.hpp>

#include <algorithm>

#include "e2e/harness.hpp"
#include "myna/records.hpp"

using namespace myna;
using namespace myna::test;

namespace {

Query drugs_2024() { return make_query(RecordType::drug, "20240101", "20241231").value(); }

/// A signed-in citizen with one process whose notification has arrived.
struct Ready {
  Session session;
  std::string telegram_id, process_id;
};

Ready ready_process(Harness& h, const std::string& citizen) {
  Ready r{h.sign_in(citizen), next_telegram_id(h.profile), ""};
  HttpResponse res = h.send_request(r.session.access_token, r.telegram_id, drugs_2024());
  REQUIRE(res.status == 200);
  r.process_id = h.header_of(res).process_id;
  REQUIRE(h.endpoint.wait_for_process(r.process_id));
  return r;
}

sandbox::Faults only(double sandbox::Faults::*fault) {
  sandbox::Faults faults;
  faults.*fault = 1.0;
  return faults;
}

bool is_dropped(CURLcode code) {
  // Plain HTTP: an empty reply. TLS: the peer closed without close_notify.
  return code == CURLE_GOT_NOTHING || code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR;
}

}  // namespace

TEST_CASE("fault http_500", "[e2e][sandbox][faults]") {
  Harness h;
  Session s = h.sign_in("C0000020");
  h.sandbox->set_faults(only(&sandbox::Faults::http_500));
  HttpResponse res = h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024());
  CHECK(res.status == 500);
  CHECK(res.header("content-type").rfind("text/html", 0) == 0);
  CHECK(h.sandbox->stats().processes_created == 0);
  CHECK(h.sandbox->stats().faults_injected == 1);
}

TEST_CASE("faults are counted by kind; telegram calls are counted", "[e2e][sandbox][faults]") {
  Harness h;
  Session s = h.sign_in("C0000029");
  h.sandbox->set_faults(only(&sandbox::Faults::maintenance_503));
  h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024());
  h.sandbox->set_faults(only(&sandbox::Faults::missing_notification));
  h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024());
  auto stats = h.sandbox->stats();
  CHECK(stats.telegram_calls == 2);
  CHECK(stats.faults_by_kind.size() == 11);
  CHECK(stats.faults_by_kind.at("maintenance_503") == 1);
  CHECK(stats.faults_by_kind.at("missing_notification") == 1);
  CHECK(stats.faults_by_kind.at("http_500") == 0);
  std::uint64_t sum = 0;
  for (const auto& kind : stats.faults_by_kind) sum += kind.second;
  CHECK(sum == stats.faults_injected);
}

TEST_CASE("fault rate_limit_429 alternates Retry-After seconds and HTTP-date", "[e2e][sandbox][faults]") {
  Harness h;
  Session s = h.sign_in("C0000021");
  h.sandbox->set_faults(only(&sandbox::Faults::rate_limit_429));
  HttpResponse first = h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024());
  HttpResponse second = h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024());
  CHECK(first.status == 429);
  CHECK(first.header("retry-after") == "1");
  CHECK(second.status == 429);
  std::string date = second.header("retry-after");
  CHECK(date.size() == 29);
  CHECK(date.substr(date.size() - 4) == " GMT");
  CHECK(h.sandbox->stats().faults_injected == 2);
}

TEST_CASE("fault maintenance_503 answers E0005 with Retry-After", "[e2e][sandbox][faults]") {
  Harness h;
  Ready r = ready_process(h, "C0000022");
  h.sandbox->set_faults(only(&sandbox::Faults::maintenance_503));
  HttpResponse res = h.fetch_result(r.session.access_token, r.telegram_id, r.process_id);
  CHECK(res.status == 503);
  CHECK(res.header("retry-after") == "1");
  CommonHeader header = h.header_of(res);
  CHECK(header.error_code == "E0005");
  CHECK(header.telegram_id == r.telegram_id);
  CHECK(header.telegram_type == h.profile.result_response_type);
}

TEST_CASE("fault latency delays every response", "[e2e][sandbox][faults]") {
  Harness h;
  Session s = h.sign_in("C0000023");
  sandbox::Faults faults;
  faults.latency = 200ms;
  h.sandbox->set_faults(faults);
  auto start = SteadyClock::now();
  CHECK(h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024()).status == 200);
  CHECK(SteadyClock::now() - start >= 200ms);
}

TEST_CASE("fault drop_connection: no response; a re-sent request gets the same process", "[e2e][sandbox][faults]") {
  bool tls = GENERATE(true, false);
  sandbox::SandboxOptions options;
  options.tls = tls;
  Harness h(options, tls);
  Session s = h.sign_in("C0000024");
  std::string tid = next_telegram_id(h.profile);
  h.sandbox->set_faults(only(&sandbox::Faults::drop_connection));
  HttpResponse lost = h.send_request(s.access_token, tid, drugs_2024());
  INFO("libcurl: " << curl_easy_strerror(lost.code));
  CHECK(is_dropped(lost.code));
  CHECK(lost.status == 0);
  CHECK(h.sandbox->stats().processes_created == 1);  // created, only the response was lost

  h.sandbox->set_faults({});
  HttpResponse resent = h.send_request(s.access_token, tid, drugs_2024());
  REQUIRE(resent.status == 200);
  std::string pid = h.header_of(resent).process_id;
  CHECK(h.sandbox->stats().processes_created == 1);
  REQUIRE(h.endpoint.wait_for_process(pid));

  h.sandbox->set_faults(only(&sandbox::Faults::drop_connection));
  CHECK(is_dropped(h.fetch_result(s.access_token, tid, pid).code));
  h.sandbox->set_faults({});
  CHECK(h.fetch_result(s.access_token, tid, pid).status == 200);
  // libcurl silently re-sends a request once when a reused connection dies before any
  // response byte: each dropped call above may have been dropped twice.
  CHECK(h.sandbox->stats().faults_injected >= 2);
  CHECK(h.sandbox->stats().faults_injected <= 4);
}

TEST_CASE("fault truncated_body: both forms end the transfer early", "[e2e][sandbox][faults]") {
  Harness h;
  Ready r = ready_process(h, "C0000025");
  HttpResponse full = h.fetch_result(r.session.access_token, r.telegram_id, r.process_id);
  REQUIRE(full.status == 200);
  h.sandbox->set_faults(only(&sandbox::Faults::truncated_body));
  HttpResponse by_length = h.fetch_result(r.session.access_token, r.telegram_id, r.process_id);
  HttpResponse by_chunks = h.fetch_result(r.session.access_token, r.telegram_id, r.process_id);
  CHECK(by_length.code == CURLE_PARTIAL_FILE);
  CHECK(by_length.header("content-length") == std::to_string(full.body.size()));
  CHECK(by_chunks.code == CURLE_PARTIAL_FILE);
  CHECK(by_chunks.header("transfer-encoding") == "chunked");
  for (const HttpResponse* cut : {&by_length, &by_chunks}) {
    CHECK(cut->status == 200);
    CHECK(cut->body.size() < full.body.size());
    CHECK(full.body.compare(0, cut->body.size(), cut->body) == 0);
  }
  CHECK(h.sandbox->stats().faults_injected == 2);
}

TEST_CASE("fault truncated_body on a result of more than one 64 KiB part", "[e2e][sandbox][faults]") {
  // Regression: draining a body of more than one part for truncation spun forever.
  Harness h;
  Session s = h.sign_in("C0000028");
  std::string telegram_id = next_telegram_id(h.profile);
  auto all_years = make_query(RecordType::drug, "20220101", "20261031").value();
  std::string process_id = h.header_of(h.send_request(s.access_token, telegram_id, all_years)).process_id;
  REQUIRE(h.endpoint.wait_for_process(process_id));
  HttpResponse full = h.fetch_result(s.access_token, telegram_id, process_id);
  REQUIRE(full.body.size() > 64 * 1024);
  h.sandbox->set_faults(only(&sandbox::Faults::truncated_body));
  for (int form = 0; form < 2; ++form) {  // by Content-Length, then by chunks
    HttpResponse cut = h.fetch_result(s.access_token, telegram_id, process_id);
    CHECK(cut.code == CURLE_PARTIAL_FILE);
    CHECK(cut.body.size() < full.body.size());
    CHECK(full.body.compare(0, cut.body.size(), cut.body) == 0);
  }
}

TEST_CASE("fault malformed_json: a 200 whose body is not JSON", "[e2e][sandbox][faults]") {
  Harness h;
  Ready r = ready_process(h, "C0000026");
  h.sandbox->set_faults(only(&sandbox::Faults::malformed_json));
  HttpResponse res = h.fetch_result(r.session.access_token, r.telegram_id, r.process_id);
  CHECK(res.code == CURLE_OK);
  CHECK(res.status == 200);
  CHECK_FALSE(codec::decode_result<DrugRecord>(res.body, h.profile).ok());
}

TEST_CASE("fault expired_token: the token expires; a refreshed one works", "[e2e][sandbox][faults]") {
  Harness h;
  Session s = h.sign_in("C0000027");
  h.sandbox->set_faults(only(&sandbox::Faults::expired_token));
  HttpResponse res = h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024());
  CHECK(res.status == 401);
  CHECK(Harness::json_string(res.body, "error") == "invalid_token");
  h.sandbox->set_faults({});
  CHECK(h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024()).status == 401);
  HttpResponse refreshed =
      h.api.post(h.url(h.profile.token_path), "grant_type=refresh_token&refresh_token=" + url_encode(s.refresh_token) +
                                                  "&client_id=" + url_encode(h.profile.client_id));
  REQUIRE(refreshed.status == 200);
  std::string token = Harness::json_string(refreshed.body, "access_token");
  CHECK(h.send_request(token, next_telegram_id(h.profile), drugs_2024()).status == 200);
  CHECK(h.sandbox->stats().faults_injected == 1);
}

TEST_CASE("fault duplicate_notification sends it twice", "[e2e][sandbox][faults]") {
  Harness h;
  h.sandbox->set_faults(only(&sandbox::Faults::duplicate_notification));
  Session s = h.sign_in("C0000028");
  REQUIRE(h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024()).status == 200);
  auto got = h.endpoint.wait_for(2);
  REQUIRE(got.size() == 2);
  CHECK(got[0].header == got[1].header);
  CHECK(Harness::eventually([&] { return h.sandbox->stats().notifications_acked == 2; }));
}

TEST_CASE("fault late_notification: the result is ready before the notification", "[e2e][sandbox][faults]") {
  sandbox::SandboxOptions options;
  options.notification_delay = 50ms;
  Harness h(options);
  sandbox::Faults faults = only(&sandbox::Faults::late_notification);
  faults.late_delay = 400ms;
  h.sandbox->set_faults(faults);
  Session s = h.sign_in("C0000029");
  std::string tid = next_telegram_id(h.profile);
  auto sent = SteadyClock::now();
  HttpResponse res = h.send_request(s.access_token, tid, drugs_2024());
  std::string pid = h.header_of(res).process_id;
  std::this_thread::sleep_for(100ms);
  CHECK(h.endpoint.received().empty());
  HttpResponse result = h.fetch_result(s.access_token, tid, pid);
  CHECK(result.status == 200);
  CHECK(h.header_of(result).error_code.empty());
  auto late = h.endpoint.wait_for_process(pid);
  REQUIRE(late);
  CHECK(late->at - sent >= 450ms);
}

TEST_CASE("fault missing_notification: none arrives, the result is fetchable", "[e2e][sandbox][faults]") {
  sandbox::SandboxOptions options;
  options.notification_delay = 50ms;
  Harness h(options);
  h.sandbox->set_faults(only(&sandbox::Faults::missing_notification));
  Session s = h.sign_in("C0000030");
  std::string tid = next_telegram_id(h.profile);
  std::string pid = h.header_of(h.send_request(s.access_token, tid, drugs_2024())).process_id;
  CHECK(h.endpoint.wait_for(1, 400ms).empty());
  CHECK(h.fetch_result(s.access_token, tid, pid).status == 200);
  CHECK(h.sandbox->stats().notifications_sent == 0);
  CHECK(h.sandbox->stats().faults_injected == 1);
}

TEST_CASE("fault forged_notification: inside the request window and with unknown ids, acceptance counted",
          "[e2e][sandbox][faults]") {
  Harness h;
  h.sandbox->set_faults(only(&sandbox::Faults::forged_notification));
  Session s = h.sign_in("C0000031");

  SECTION("a provider that checks ids rejects them") {
    h.endpoint.set_policy(ProviderEndpoint::Policy::echo_known);
    std::string tid = next_telegram_id(h.profile);
    // The sandbox sends the genuine one at notification_delay; the endpoint learns the processId first.
    h.sandbox->set_notification_delay(300ms);
    std::string pid = h.header_of(h.send_request(s.access_token, tid, drugs_2024())).process_id;
    h.endpoint.expect(pid);
    auto got = h.endpoint.wait_for(3);
    REQUIRE(got.size() == 3);
    // The first arrived before the request response: the live telegramId with another processId.
    CHECK(got[0].header.telegram_id == tid);
    CHECK(got[0].header.process_id != pid);
    bool saw_unknown = false;
    for (const auto& r : got) saw_unknown |= r.header.process_id != pid && r.header.telegram_id != tid;
    CHECK(saw_unknown);
    CHECK(Harness::eventually([&] {
      auto stats = h.sandbox->stats();
      return stats.forged_sent == 2 && stats.notifications_acked == 1;
    }));
    CHECK(h.sandbox->stats().forged_accepted == 0);
  }
  SECTION("a provider that acknowledges anything is caught") {
    REQUIRE(h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024()).status == 200);
    CHECK(h.sandbox->stats().forged_accepted == 1);  // the one inside the window, before the response
    CHECK(Harness::eventually([&] { return h.sandbox->stats().forged_accepted == 2; }));
  }
}

TEST_CASE("request_response_delay holds the request response; the notification can come first",
          "[e2e][sandbox][faults]") {
  Harness h;
  sandbox::Faults f;
  f.request_response_delay = 500ms;
  h.sandbox->set_faults(f);
  h.sandbox->set_notification_delay(0ms);
  Session s = h.sign_in("C0000033");
  const auto started = std::chrono::steady_clock::now();
  const std::string tid = next_telegram_id(h.profile);
  REQUIRE(h.send_request(s.access_token, tid, drugs_2024()).status == 200);
  CHECK(std::chrono::steady_clock::now() - started >= 500ms);
  auto got = h.endpoint.wait_for(1);
  REQUIRE(got.size() == 1);
  CHECK(got[0].header.telegram_id == tid);
  CHECK(got[0].at < started + 500ms);
}

TEST_CASE("fault decisions are deterministic per seed", "[e2e][sandbox][faults]") {
  Harness h;
  Session s = h.sign_in("C0000032");
  sandbox::Faults faults;
  faults.http_500 = 0.5;
  faults.seed = 42;
  auto run = [&] {
    h.sandbox->set_faults(faults);
    std::string statuses;
    for (int i = 0; i < 16; ++i)
      statuses += h.send_request(s.access_token, next_telegram_id(h.profile), drugs_2024()).status == 500 ? 'x' : '.';
    return statuses;
  };
  std::string first = run(), second = run();
  CHECK(first == second);
  CHECK(first.find('x') != std::string::npos);
  CHECK(first.find('.') != std::string::npos);
}

namespace {

/// Checks a leniently decoded result against what the odd_values fault says it served: each
/// odd value comes back with its wire text and exactly its issues; no other record has any.
template <class R>
std::size_t check_odd_values(Harness& h, const std::string& citizen, RecordType type) {
  Session s = h.sign_in(citizen);
  const std::string telegram_id = next_telegram_id(h.profile);
  HttpResponse res = h.send_request(s.access_token, telegram_id, make_query(type, "20150101", "20261231").value());
  REQUIRE(res.status == 200);
  const std::string process_id = h.header_of(res).process_id;
  REQUIRE(h.endpoint.wait_for_process(process_id));
  HttpResponse result = h.fetch_result(s.access_token, telegram_id, process_id);
  REQUIRE(result.status == 200);
  auto decoded = codec::decode_result<R>(result.body, h.profile, DecodeOptions{});
  REQUIRE(decoded);
  std::vector<std::size_t> issues_expected(decoded->records.size(), 0);
  std::size_t served = 0;
  for (const sandbox::OddValue& odd : h.sandbox->odd_values_served()) {
    if (odd.telegram_id != telegram_id) continue;
    ++served;
    INFO(odd.variant << " item " << odd.item_number);
    REQUIRE(odd.record < decoded->records.size());
    const R& r = decoded->records[odd.record];
    issues_expected[odd.record] += odd.issues.size();
    for (IssueKind kind : odd.issues) CHECK(r.issues.has(kind, odd.item_number));
    if (odd.item_number == 0) {
      bool kept = false;
      for (const ExtraItem* x = r.issues.extra_begin(); x != r.issues.extra_end(); ++x)
        kept = kept || (x->key.view() == odd.key && x->text.view() == odd.wire);
      CHECK(kept);
    } else {
      const FieldInfo* f = find_field<R>(odd.item_number);
      CHECK(f->ja == odd.key);
      CHECK(to_wire_text(f->of(r)) == odd.wire);
    }
  }
  for (std::size_t i = 0; i < decoded->records.size(); ++i)
    CHECK(decoded->records[i].issues.size() == issues_expected[i]);
  return served;
}

}  // namespace

TEST_CASE("fault odd_values: real-world variants with their ground truth", "[e2e][sandbox][faults]") {
  Harness h;
  sandbox::Faults faults;
  faults.odd_values = 1.0;
  h.sandbox->set_faults(faults);
  std::size_t served = check_odd_values<DrugRecord>(h, "C0000030", RecordType::drug);
  served += check_odd_values<CheckupRecord>(h, "C0000031", RecordType::checkup);
  served += check_odd_values<MedicalExpenseRecord>(h, "C0000032", RecordType::expense);
  CHECK(served >= 10);
  CHECK(h.sandbox->stats().faults_injected == 0);  // well-formed telegrams: no transport fault
}

TEST_CASE("fault odd_values off: nothing odd is served", "[e2e][sandbox][faults]") {
  Harness h;
  CHECK(check_odd_values<DrugRecord>(h, "C0000033", RecordType::drug) == 0);
  CHECK(h.sandbox->odd_values_served().empty());
}

namespace {

/// A record's issues ordered by item (the decoder reports ambiguous codes at the record's end).
std::vector<Issue> by_item(std::vector<Issue> issues) {
  std::stable_sort(issues.begin(), issues.end(),
                   [](const Issue& a, const Issue& b) { return a.item_number < b.item_number; });
  return issues;
}

}  // namespace

TEST_CASE("generated checkups without 実施年月日: exactly the ground truth's ambiguous codes", "[e2e][sandbox]") {
  Harness h;
  const Query q = make_query(RecordType::checkup, "20150101", "20261231").value();
  // The first citizen with a checkup the generator left without 実施年月日.
  std::size_t citizen = 0;
  for (std::size_t i = 1; i < 2000 && citizen == 0; ++i)
    for (const CheckupRecord& r : h.sandbox->generator().records<CheckupRecord>(i, q))
      if (!present(find_field<CheckupRecord>(14)->of(r))) citizen = i;
  REQUIRE(citizen > 0);
  const std::vector<CheckupRecord> truth = h.sandbox->generator().records<CheckupRecord>(citizen, q);

  Session s = h.sign_in(sandbox::citizen_id(citizen));
  const std::string telegram_id = next_telegram_id(h.profile);
  HttpResponse res = h.send_request(s.access_token, telegram_id, q);
  REQUIRE(res.status == 200);
  const std::string process_id = h.header_of(res).process_id;
  REQUIRE(h.endpoint.wait_for_process(process_id));
  HttpResponse result = h.fetch_result(s.access_token, telegram_id, process_id);
  REQUIRE(result.status == 200);
  auto decoded = codec::decode_result<CheckupRecord>(result.body, h.profile, DecodeOptions{});
  REQUIRE(decoded);
  REQUIRE(decoded->records.size() == truth.size());

  std::size_t ambiguous = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    INFO("record " << i);
    const std::vector<Issue> expected = sandbox::code_issues(truth[i]);
    const bool dated = present(find_field<CheckupRecord>(14)->of(truth[i]));
    for (const Issue& issue : expected) {
      CHECK_FALSE(dated);  // dated generated records have no issue
      CHECK(issue.kind == IssueKind::ambiguous_code);
      ambiguous += issue.kind == IssueKind::ambiguous_code;
    }
    const Issues& got = decoded->records[i].issues;
    CHECK(by_item(std::vector<Issue>(got.begin(), got.end())) == expected);
  }
  CHECK(ambiguous > 0);  // 喫煙, 飲酒 … read without a period
}

TEST_CASE("code_issues: an unknown code is ambiguous without 実施年月日, unknown with it", "[e2e][sandbox]") {
  CheckupRecord r;
  const FieldInfo& smoking = *find_field<CheckupRecord>(112);
  REQUIRE(assign_wire_text(smoking, smoking.of(r), "7").ok());
  CHECK(sandbox::code_issues(r) == std::vector<Issue>{Issue{112, smoking.ja, IssueKind::ambiguous_code}});
  r.visit.checkup_date = Date::make(2024, 6, 3).value();
  CHECK(sandbox::code_issues(r) == std::vector<Issue>{Issue{112, smoking.ja, IssueKind::unknown_code}});
  REQUIRE(assign_wire_text(smoking, smoking.of(r), "1").ok());
  CHECK(sandbox::code_issues(r).empty());
}
