#include "myna/query/query.hpp"

#include "internal/civil_date.hpp"

namespace myna {
namespace {

Error invalid(std::string what) { return Error(ErrorCategory::validation, std::move(what)); }

void replace_all(std::string& s, std::string_view what, std::string_view with) {
  for (std::size_t pos = 0; (pos = s.find(what, pos)) != std::string::npos; pos += with.size())
    s.replace(pos, what.size(), with);
}

Error bound_error(const char* which, const Error& cause) {
  return invalid(std::string(which) + ": " + cause.message());
}

}  // namespace

Query::Builder& Query::Builder::from(std::string_view text) {
  auto d = Date::parse(text);
  if (d)
    from_ = *d, from_error_.reset();
  else
    from_error_ = d.error();
  return *this;
}

Query::Builder& Query::Builder::to(std::string_view text) {
  auto d = Date::parse(text);
  if (d)
    to_ = *d, to_error_.reset();
  else
    to_error_ = d.error();
  return *this;
}

Result<Query> Query::Builder::build() const {
  if (from_error_) return bound_error("絞り込み開始日 (from)", *from_error_);
  if (to_error_) return bound_error("絞り込み終了日 (to)", *to_error_);
  if (!from_.has_value()) return invalid("絞り込み開始日 (from) is missing: set the start of the 照会年月日 range");
  if (!to_.has_value()) return invalid("絞り込み終了日 (to) is missing: set the end of the 照会年月日 range");
  if (to_ < from_)
    return invalid("絞り込み終了日 (to) " + to_.to_string() + " is before 絞り込み開始日 (from) " + from_.to_string());
  return Query(type_, from_, to_);
}

Result<Query> make_query(RecordType type, std::string_view from, std::string_view to) {
  return Query::Builder(type).from(from).to(to).build();
}

std::string Query::to_filter(const Profile& profile) const {
  std::string s = profile.filter_template;
  replace_all(s, "{type}", std::to_string(static_cast<int>(type_)));
  replace_all(s, "{from}", internal::compact_date(from_));
  replace_all(s, "{to}", internal::compact_date(to_));
  return s;
}

bool Query::matches_date(const Date& date) const noexcept { return date.has_value() && from_ <= date && date <= to_; }

bool Query::matches_month(const YearMonth& month) const noexcept {
  return month.has_value() && month.first_day() <= to_ && from_ <= month.last_day();
}

bool Query::matches(const DrugRecord& r) const noexcept { return matches_month(r.treatment_month); }
bool Query::matches(const CheckupRecord& r) const noexcept { return matches_date(r.visit.checkup_date); }
bool Query::matches(const MedicalExpenseRecord& r) const noexcept { return matches_month(r.treatment_month); }

}  // namespace myna
