// Deterministic synthetic citizens and their records (the sandbox's data and the tests'
// ground truth). The same seed gives the same citizens and records on every machine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "myna/query/query.hpp"
#include "myna/records.hpp"

namespace myna::sandbox {

/// A synthetic citizen: what the My Number Card and the insurer know.
struct Citizen {
  std::size_t index = 0;
  std::string id;  ///< stable id used by the sandbox as the citizen's login, e.g. "C0000042"
  Text kana_name, name;
  Text kana_name_other, name_other;  ///< set for some citizens (通称)
  Date birth_date;
  std::string sex;  ///< "1" 男, "2" 女
  InsurerNumber insurer_number;
  Text insurer_name;
  Text card_symbol, card_number;
  BranchNumber branch_number;
};

/// A record with the date the service filters on (tables 2.6-1..3). The visible field may be
/// absent from a few records (the generator leaves every item out somewhere); the filter
/// date is kept here so the sandbox still places the record in its range.
template <class R>
struct Dated {
  R record;
  Date filter_date;  ///< drugs/expenses: first day of the 診療年月; checkups: 実施年月日
};

/// Deterministic per seed and immutable: safe from any thread.
class Generator {
 public:
  explicit Generator(std::uint64_t seed = 20261127) : seed_(seed) {}

  /// Records exist from this month to the last month (inclusive).
  static YearMonth first_month();
  static YearMonth last_month();

  Citizen citizen(std::size_t index) const;
  /// All records of a citizen over the data window, in the service's order.
  std::vector<Dated<DrugRecord>> drugs(std::size_t citizen) const;
  std::vector<Dated<CheckupRecord>> checkups(std::size_t citizen) const;
  std::vector<Dated<MedicalExpenseRecord>> expenses(std::size_t citizen) const;

  /// The records a retrieval for this query returns (ground truth).
  template <class R>
  std::vector<R> records(std::size_t citizen, const Query& query) const;

  /// All records of one type of one citizen (for benchmarks: no filtering).
  template <class R>
  std::vector<R> all_records(std::size_t citizen) const;

  std::uint64_t seed() const noexcept { return seed_; }

 private:
  std::uint64_t seed_;
};

/// The issues a lenient decode reports for the valid coded answers of a record as served:
/// `unknown_code` for a code its table does not list, and `ambiguous_code` for a
/// period-dependent code where the period is unknown (a checkup without a usable 実施年月日:
/// the generator leaves it out of a few records, like every item). In item-number order.
/// Ground truth for tests: the generated records have no other issues.
template <class R>
std::vector<Issue> code_issues(const R& record);

/// Index of a citizen id ("C0000042" → 42), or -1 when it is not a generated citizen.
long long citizen_index(std::string_view id);
std::string citizen_id(std::size_t index);

}  // namespace myna::sandbox
