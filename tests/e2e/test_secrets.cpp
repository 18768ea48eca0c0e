// Secrets never leak: the end-to-end flows (consent with PKCE, fetch of all three types,
// refresh after an expired token, streaming, batch, failures) run with logging at trace, and
// every log line, error text, exception text and printed value (Token, SecretString, Error,
// records) is scanned for every token, code, PKCE verifier, state and private-key line.
#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "e2e/harness.hpp"
#include "e2e/world.hpp"

using namespace myna;
using test::World;

namespace {

/// Everything the SDK printed or returned as text.
class Texts {
 public:
  LogSink sink() {
    return
        [this](LogLevel level, std::string_view line) { add(std::string(to_string(level)) + " " + std::string(line)); };
  }
  void add(std::string text) {
    std::lock_guard<std::mutex> lock(mu_);
    texts_.push_back(std::move(text));
  }
  void add(const Error& e) {
    add(e.to_string());
    std::ostringstream os;
    os << e;
    add(os.str());
  }
  template <class T>
  void print(const T& value) {
    std::ostringstream os;
    os << value;
    add(os.str());
  }
  template <class R>
  void print_records(const std::vector<R>& records) {
    for (const R& r : records)
      for (const auto& f : catalog<R>()) add(to_display_text(f.of(r)) + "|" + to_wire_text(f.of(r)));
  }
  std::vector<std::string> all() {
    std::lock_guard<std::mutex> lock(mu_);
    return texts_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> texts_;
};

/// The secrets to look for, by kind.
struct Secrets {
  std::map<std::string, std::set<std::string>> by_kind;
  void add(const std::string& kind, std::string_view value) {
    if (value.size() >= 8) by_kind[kind].insert(std::string(value));
  }
  std::size_t count(const std::string& kind) const {
    auto it = by_kind.find(kind);
    return it == by_kind.end() ? 0 : it->second.size();
  }
  /// The base64 lines of a PEM private key.
  void add_key_file(const std::string& path) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("-----", 0) != 0) add("private key line", line);
  }
};

}  // namespace

TEST_CASE("secrets never appear in logs, error texts or printed values (trace level, every flow)",
          "[e2e][attack][secrets]") {
  Texts texts;
  Secrets secrets;
  auto tokens = make_memory_token_store();
  World w(World::fast_sandbox(), [&](ClientOptions& o) {
    o.logger = Logger(texts.sink(), LogLevel::trace);
    o.profile.use_pkce = true;
    o.token_store = tokens;
    o.retry.max_attempts = 2;
  });
  Client& client = w.client();
  const std::vector<std::string> users = {"u1", "u2", "u3", "u4"};
  auto collect_tokens = [&] {
    for (const auto& user : users) {
      auto t = tokens->load(user).value();
      if (!t) continue;
      secrets.add("access token", t->access_token.reveal());
      secrets.add("refresh token", t->refresh_token.reveal());
      texts.print(*t);
      texts.print(t->access_token);
    }
  };

  // Consent with PKCE for three citizens and a fourth whose code is then replayed (which makes
  // the sandbox revoke that grant, RFC 6749 §4.1.2); each also with a forged state.
  const std::vector<std::string> consenting = {"u1", "u2", "u3", "u4"};
  for (std::size_t i = 0; i < consenting.size(); ++i) {
    auto request = client.begin_consent().value();
    secrets.add("state", request.state.reveal());
    secrets.add("PKCE verifier", request.code_verifier.reveal());
    texts.print(request.state);
    texts.print(request.code_verifier);
    std::string redirect = w.sandbox().authorize_as(sandbox::citizen_id(i + 1), request.url);
    secrets.add("authorization code", test::query_param(redirect, "code").value_or(""));
    REQUIRE(client.complete_consent(consenting[i], redirect, request).ok());
    if (consenting[i] == "u4") {
      Status replayed = client.complete_consent("replay", redirect, request);
      REQUIRE_FALSE(replayed.ok());
      texts.add(replayed.error());
    }
    auto other = client.begin_consent().value();
    secrets.add("state", other.state.reveal());
    secrets.add("PKCE verifier", other.code_verifier.reveal());
    Status forged = client.complete_consent("forged", redirect, other);
    REQUIRE_FALSE(forged.ok());
    texts.add(forged.error());
  }
  collect_tokens();

  // All three record types.
  auto dq = make_query(RecordType::drug, "20240101", "20241231").value();
  auto cq = make_query(RecordType::checkup, "20220101", "20261031").value();
  auto eq = make_query(RecordType::expense, "20240101", "20241231").value();
  auto drugs = client.fetch_drugs("u1", dq);
  auto checkups = client.fetch_checkups("u1", cq);
  auto expenses = client.fetch_expenses("u1", eq);
  INFO((drugs ? std::string() : drugs.error().to_string()));
  REQUIRE(drugs.ok());
  REQUIRE(checkups.ok());
  REQUIRE(expenses.ok());
  texts.print_records(drugs->records);
  texts.print_records(checkups->records);
  texts.print_records(expenses->records);

  // The token expires under the client (fault on every call): refresh, then a clean failure;
  // without the fault the next fetch refreshes again and succeeds.
  sandbox::Faults expire;
  expire.expired_token = 1.0;
  w.sandbox().set_faults(expire);
  auto expired = client.fetch_drugs("u2", dq);
  REQUIRE_FALSE(expired.ok());
  texts.add(expired.error());
  collect_tokens();
  w.sandbox().set_faults({});
  REQUIRE(client.fetch_drugs("u2", dq).ok());
  collect_tokens();
  CHECK(w.sandbox().stats().tokens_issued >= 4 + 2);  // refreshes happened

  // Streaming and batch.
  auto streamed = client.fetch_stream<DrugRecord>("u3", dq, [](DrugRecord&&) { return Status(); });
  REQUIRE(streamed.ok());
  auto ignore = [](const std::string&, std::vector<MedicalExpenseRecord>&&) { return Status(); };
  auto report = client.batch<MedicalExpenseRecord>({"u1", "u2", "u3", "nobody"}, eq, ignore);
  CHECK(report.succeeded == 3);
  for (const auto& o : report.outcomes)
    if (!o.status.ok()) texts.add(o.status.error());
  try {
    (void)client.fetch_drugs("nobody", dq).value();
  } catch (const Exception& e) { texts.add(e.what()); }
  collect_tokens();

  // The keys of the provider, the service and the notification listener.
  const auto& creds = w.sandbox().credentials();
  for (const auto& key : {creds.client_key_file, creds.server_key_file, creds.listener_key_file})
    secrets.add_key_file(key);

  // Enough of everything was collected for the scan to mean something.
  CHECK(secrets.count("state") == 8);
  CHECK(secrets.count("PKCE verifier") == 8);
  CHECK(secrets.count("authorization code") == 4);
  CHECK(secrets.count("access token") >= 5);
  CHECK(secrets.count("refresh token") >= 3);
  CHECK(secrets.count("private key line") >= 6);
  const auto all = texts.all();
  std::size_t log_lines = 0;
  for (const auto& t : all) log_lines += t.rfind("debug ", 0) == 0 || t.rfind("info ", 0) == 0;
  CHECK(log_lines > 30);

  std::size_t leaks = 0;
  for (const auto& [kind, values] : secrets.by_kind)
    for (const auto& secret : values)
      for (const auto& text : all)
        if (text.find(secret) != std::string::npos && ++leaks <= 5) FAIL_CHECK(kind << " found in: " << text);
  CHECK(leaks == 0);
}
