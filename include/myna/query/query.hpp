// 照会年月日 queries (guideline 2.6): a date range per record type, validated when built.
// Query is an immutable value (safe from any thread); a Builder is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "myna/core_export.hpp"
#include "myna/profile.hpp"
#include "myna/records.hpp"

namespace myna {

/// A validated 照会年月日 range (絞り込み開始日 <= 絞り込み終了日) for one record type.
/// Tables 2.6-1..3: drugs and expenses match on 診療年月, checkups on 健診実施年月日.
class MYNA_CORE_API Query {
 public:
  class Builder;

  RecordType type() const noexcept { return type_; }
  Date from() const noexcept { return from_; }  ///< 絞り込み開始日
  Date to() const noexcept { return to_; }      ///< 絞り込み終了日

  /// The inquiryCondition string of the request telegram, per profile.filter_template.
  std::string to_filter(const Profile& profile) const;

  /// Whether a record falls in the range: a 診療年月 matches when any day of that month lies
  /// in [from, to]; a 実施年月日 matches when it lies in [from, to]. Records without the
  /// date do not match.
  bool matches(const DrugRecord& record) const noexcept;
  bool matches(const CheckupRecord& record) const noexcept;
  bool matches(const MedicalExpenseRecord& record) const noexcept;
  bool matches_month(const YearMonth& month) const noexcept;
  bool matches_date(const Date& date) const noexcept;

  friend bool operator==(const Query& a, const Query& b) noexcept {
    return a.type_ == b.type_ && a.from_ == b.from_ && a.to_ == b.to_;
  }

 private:
  Query(RecordType type, Date from, Date to) : type_(type), from_(std::move(from)), to_(std::move(to)) {}
  RecordType type_;
  Date from_, to_;
};

/// Collects the bounds; build() validates them.
class MYNA_CORE_API Query::Builder {
 public:
  explicit Builder(RecordType type) : type_(type) {}
  Builder& from(Date date) {
    from_ = std::move(date);
    return *this;
  }
  Builder& to(Date date) {
    to_ = std::move(date);
    return *this;
  }
  /// "YYYY-MM-DD" or "YYYYMMDD"; an invalid text makes build() fail naming it.
  Builder& from(std::string_view text);
  Builder& to(std::string_view text);
  /// Fails with a validation error: missing bound, impossible date, end before start.
  Result<Query> build() const;

 private:
  RecordType type_;
  Date from_, to_;
  std::optional<Error> from_error_, to_error_;
};

/// One builder per record type.
inline Query::Builder drug_query() { return Query::Builder(RecordType::drug); }
inline Query::Builder checkup_query() { return Query::Builder(RecordType::checkup); }
inline Query::Builder expense_query() { return Query::Builder(RecordType::expense); }

/// Shorthand: drug_query().from(f).to(t).build() etc.
MYNA_CORE_API Result<Query> make_query(RecordType type, std::string_view from, std::string_view to);

}  // namespace myna
