// Application code under test: what a PHR service shows a citizen about their medicines. It
// only knows `myna::Client&`, so the real client serves it in production and a double in its
// unit tests (test.cpp).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "myna/client/client.hpp"

namespace app {

/// What the medicines page shows.
struct MedicinesPage {
  enum class Kind { list, ask_consent, come_back_later, try_again } kind = Kind::try_again;
  std::vector<std::string> lines;                      ///< "2024-03-05 ロキソニン錠60mg" per dispensing
  std::chrono::system_clock::time_point come_back_at;  ///< for come_back_later
  std::string telegram_id;                             ///< for the provider's access log
};

/// `days` days before `today`.
inline myna::Date days_before(myna::Date today, int days) {
  return myna::Date::from_days_since_epoch(today.days_since_epoch() - days);
}

/// The citizen's medicines of the year up to `today`.
inline MedicinesPage medicines_page(myna::Client& client, const std::string& user, myna::Date today) {
  MedicinesPage page;
  auto query = myna::drug_query().from(days_before(today, 365)).to(today).build();
  if (!query) return page;
  auto drugs = client.fetch_drugs(user, *query);
  if (!drugs) {
    const myna::Error& e = drugs.error();
    if (e.retrieval()) page.telegram_id = e.retrieval()->telegram_id;
    switch (e.category()) {
      case myna::ErrorCategory::consent_required: page.kind = MedicinesPage::Kind::ask_consent; break;
      case myna::ErrorCategory::maintenance:
        page.kind = MedicinesPage::Kind::come_back_later;
        page.come_back_at = e.retry_after().value_or(std::chrono::system_clock::now() + std::chrono::hours(1));
        break;
      default: page.kind = MedicinesPage::Kind::try_again; break;
    }
    return page;
  }
  page.kind = MedicinesPage::Kind::list;
  page.telegram_id = drugs->info.telegram_id;
  for (const myna::DrugRecord& d : *drugs)
    page.lines.push_back(d.dispensing_date.to_string() + " " + d.drug_name.str());
  return page;
}

/// The number of citizens whose expense notices could be fetched (a nightly job).
inline std::size_t nightly_expenses(myna::Client& client, const std::vector<std::string>& users, myna::Date today) {
  auto query = myna::expense_query().from(days_before(today, 90)).to(today).build();
  if (!query) return 0;
  auto report = client.batch<myna::MedicalExpenseRecord>(
      users, *query, [](const std::string&, std::vector<myna::MedicalExpenseRecord>&&) { return myna::Status(); });
  return report.succeeded;
}

}  // namespace app
