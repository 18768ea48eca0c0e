// Unit tests of the application's own code (medications.hpp) with the SDK's Client double:
// every outcome a real retrieval can have, scripted without HTTP, and the calls checked.
// No test framework: each check prints what failed, and the exit code says whether all held.
#include <cstdio>
#include <string>

#include "medications.hpp"
#include "myna/testing/scripted_client.hpp"

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

myna::DrugRecord drug(const char* date, const char* name) {
  myna::DrugRecord d;
  d.dispensing_date = myna::Date::parse(date).value();
  d.drug_name = myna::Text(name);
  return d;
}

const myna::Date kToday = myna::Date::parse("2024-12-31").value();

void records_become_lines() {
  myna::testing::ScriptedClient client;
  client.returns<myna::DrugRecord>("user-42",
                                   {drug("2024-03-05", "ロキソニン錠60mg"), drug("2024-04-01", "ムコスタ錠100mg")});
  app::MedicinesPage page = app::medicines_page(client, "user-42", kToday);
  check(page.kind == app::MedicinesPage::Kind::list, "records: the page lists them");
  check(page.lines.size() == 2 && page.lines[0] == "2024-03-05 ロキソニン錠60mg", "records: one line per dispensing");
  check(!page.telegram_id.empty(), "records: the telegram id is kept for the access log");
  auto calls = client.calls();
  check(calls.size() == 1 && calls[0].operation == "fetch" && calls[0].type == myna::RecordType::drug,
        "records: one drug fetch");
  check(calls.size() == 1 && calls[0].to == kToday && calls[0].from == app::days_before(kToday, 365),
        "records: the query covers the year up to today");
}

void consent_required_asks_again() {
  myna::testing::ScriptedClient client;
  client.consent_required("user-1", myna::RecordType::drug);
  check(app::medicines_page(client, "user-1", kToday).kind == app::MedicinesPage::Kind::ask_consent,
        "consent_required: the page asks for consent");
  check(!client.has_grant("user-1").value(), "consent_required: no grant");
  // A citizen nobody scripted behaves like one who never consented.
  check(app::medicines_page(client, "stranger", kToday).kind == app::MedicinesPage::Kind::ask_consent,
        "unscripted: consent needed");
  // Consent is per information type: a grant of 特定健診情報 only does not cover 薬剤情報.
  client.returns<myna::DrugRecord>("user-3", {drug("2024-05-01", "A")}).grant("user-3", {myna::RecordType::checkup});
  check(app::medicines_page(client, "user-3", kToday).kind == app::MedicinesPage::Kind::ask_consent,
        "type not granted: the page asks for consent");
}

void maintenance_says_when() {
  myna::testing::ScriptedClient client;
  const auto back = std::chrono::system_clock::now() + std::chrono::hours(2);
  client.maintenance("user-7", myna::RecordType::drug, back)
      .returns<myna::DrugRecord>("user-7", {drug("2024-05-01", "A")});
  app::MedicinesPage first = app::medicines_page(client, "user-7", kToday);
  check(first.kind == app::MedicinesPage::Kind::come_back_later, "maintenance: come back later");
  check(first.come_back_at == back, "maintenance: at the time the service gave");
  check(!first.telegram_id.empty(), "maintenance: the failed retrieval still has its telegram id");
  check(app::medicines_page(client, "user-7", kToday).kind == app::MedicinesPage::Kind::list,
        "maintenance: the next fetch takes the next outcome");
  check(client.fetches("user-7", myna::RecordType::drug) == 2, "maintenance: two fetches");
}

void other_errors_try_again() {
  myna::testing::ScriptedClient client;
  client.fails("user-9", myna::RecordType::drug, myna::Error(myna::ErrorCategory::network, "connection reset"));
  check(app::medicines_page(client, "user-9", kToday).kind == app::MedicinesPage::Kind::try_again,
        "network: try again");
}

void batch_runs_on_the_double() {
  myna::testing::ScriptedClient client;
  client.returns<myna::MedicalExpenseRecord>("a", {myna::MedicalExpenseRecord{}})
      .returns<myna::MedicalExpenseRecord>("b", {})
      .consent_required("c", myna::RecordType::expense);
  check(app::nightly_expenses(client, {"a", "b", "c"}, kToday) == 2, "batch: two of three succeed");
  check(client.fetches("c", myna::RecordType::expense) == 1, "batch: every citizen fetched once");
}

}  // namespace

int main() {
  records_become_lines();
  consent_required_asks_again();
  maintenance_says_when();
  other_errors_try_again();
  batch_runs_on_the_double();
  if (failures) return 1;
  std::printf("mock_client_test: all checks passed\n");
  return 0;
}
