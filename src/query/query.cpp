#include "myna/query/query.hpp"

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
  if (d) from_ = *d, from_error_.reset();
  else from_error_ = d.error();
  return *this;
}

Query::Builder& Query::Builder::to(std::string_view text) {
  auto d = Date::parse(text);
  if (d) to_ = *d, to_error_.reset();
  else to_error_ = d.error();
  return *this;
}

Result<Query> Query::Builder::build() const {
  if (from_error_) return bound_error("絞り込み開始日 (from)", *from_error_);
  if (to_error_) return bound_error("絞り込み終了日 (to)", *to_error_);
  if (!from_.has_value()) return invalid("絞り込み開始日 (from) is missing: set the start of the 照会年月日 range");
  if (!to_.has_value()) return invalid("絞り込み終了日 (to) is missing: set the end of the 照会年月日 range");
  if (to_ < from_)
    return invalid("絞り込み終了日 (to) " + to_.to_string() + " is before 絞り込み開始日 (from) " +
                   from_.to_string());
  return Query(type_, from_, to_);
}

Result<Query> make_query(RecordType type, std::string_view from, std::string_view to) {
  return Query::Builder(type).from(from).to(to).build();
}

std::string Query::to_filter(const Profile& profile) const {
  std::string s = profile.filter_template;
  replace_all(s, "{type}", std::to_string(static_cast<int>(type_)));
  replace_all(s, "{from}", from_.to_wire());
  replace_all(s, "{to}", to_.to_wire());
  return s;
}

// Matches the filter against the template, literal by literal, reading the placeholders.
Result<Query> Query::from_filter(const Profile& profile, std::string_view filter) {
  std::string_view tpl = profile.filter_template;
  std::string type_text, from_text, to_text;
  std::size_t f = 0;
  while (!tpl.empty()) {
    if (tpl.front() != '{') {
      if (f >= filter.size() || filter[f] != tpl.front())
        return invalid("inquiryCondition does not follow the profile's filter template");
      ++f, tpl.remove_prefix(1);
      continue;
    }
    auto close = tpl.find('}');
    if (close == std::string_view::npos) return invalid("filter template has an unclosed placeholder");
    std::string_view name = tpl.substr(1, close - 1);
    tpl.remove_prefix(close + 1);
    char stop = tpl.empty() ? '\0' : tpl.front();
    std::size_t end = f;
    while (end < filter.size() && filter[end] != stop) ++end;
    std::string value(filter.substr(f, end - f));
    f = end;
    if (name == "type") type_text = value;
    else if (name == "from") from_text = value;
    else if (name == "to") to_text = value;
    else return invalid("filter template has an unknown placeholder");
  }
  if (f != filter.size()) return invalid("inquiryCondition has trailing characters");
  if (type_text != "1" && type_text != "2" && type_text != "3")
    return invalid("inquiryCondition names no known information type (1, 2 or 3)");
  return make_query(static_cast<RecordType>(type_text[0] - '0'), from_text, to_text);
}

bool Query::matches_date(Date date) const noexcept {
  return date.has_value() && from_ <= date && date <= to_;
}

bool Query::matches_month(YearMonth month) const noexcept {
  return month.has_value() && month.first_day() <= to_ && from_ <= month.last_day();
}

bool Query::matches(const DrugRecord& r) const noexcept { return matches_month(r.treatment_month); }
bool Query::matches(const CheckupRecord& r) const noexcept { return matches_date(r.visit.checkup_date); }
bool Query::matches(const MedicalExpenseRecord& r) const noexcept {
  return matches_month(r.treatment_month);
}

}  // namespace myna
