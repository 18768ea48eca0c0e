// Query and value parsing: Date, YearMonth, Decimal, Yen, Count, codes and coded answers on
// the first line of the input; make_query / Query::Builder on the first two lines; and
// internal::query_from_filter (the sandbox's reading of a filter) on the whole input under two
// filter templates. Properties: no crash; what parses formats back to itself (or re-parses to
// the same value); queries are ordered ranges that survive to_filter and back; errors are
// loggable validation errors.
#include "myna/query/query.hpp"
#include "fuzz.hpp"
#include "internal/query_filter.hpp"

namespace {

using namespace myna;

void check_error(const Error& e) {
  if (e.category() != ErrorCategory::validation) fuzz::fail("not a validation error", e);
  fuzz::check_loggable(e);
}

template <class T>
void same_after(const Result<T>& parsed, const std::string& text, const char* what) {
  auto again = T::parse(text);
  if (!again || !(*again == *parsed)) fuzz::fail(std::string(what) + " does not re-parse to itself");
}

void dates(std::string_view text) {
  if (auto d = Date::parse(text); d) {
    if (!is_valid_date(d->year(), d->month(), d->day())) fuzz::fail("an impossible date parsed");
    if (text.size() == 8 && d->to_wire() != text) fuzz::fail("Date::to_wire changes the text");
    if (text.size() == 10 && d->to_string() != text) fuzz::fail("Date::to_string changes the text");
    same_after(d, d->to_string(), "Date::to_string");
    if (Date::from_days_since_epoch(d->days_since_epoch()) != *d) fuzz::fail("day arithmetic is not exact");
  } else {
    check_error(d.error());
  }
  if (auto m = YearMonth::parse(text); m) {
    if (text.size() == 6 && m->to_wire() != text) fuzz::fail("YearMonth::to_wire changes the text");
    same_after(m, m->to_string(), "YearMonth::to_string");
    if (YearMonth::of(m->first_day()) != *m || YearMonth::of(m->last_day()) != *m) fuzz::fail("month bounds");
  } else {
    check_error(m.error());
  }
}

void numbers(std::string_view text) {
  if (auto d = Decimal::parse(text); d) {
    same_after(d, d->to_string(), "Decimal::to_string");
    if (!Decimal::numerically_equal(*d, *d)) fuzz::fail("a decimal is not equal to itself");
  } else {
    check_error(d.error());
  }
  if (auto y = Yen::parse(text); y)
    same_after(y, y->to_string(), "Yen::to_string");
  else
    check_error(y.error());
  if (auto c = Count::parse(text); c)
    same_after(c, c->to_string(), "Count::to_string");
  else
    check_error(c.error());
}

void codes(std::string_view text) {
  for (auto format : {CodeFormat::institution_code, CodeFormat::insurer_number, CodeFormat::medicine_code,
                      CodeFormat::price_list_code, CodeFormat::branch_number}) {
    CodeString code;
    const Status st = code.assign(format, text);
    if (st && code.str() != text) fuzz::fail("a code changed its text");
    if (!st) check_error(st.error());
  }
  for (int id = 1; id < static_cast<int>(CodeSetId::count_); ++id) {
    Coded coded(static_cast<CodeSetId>(id));
    const Status st = coded.assign(text);
    if (st && coded.code() != text) fuzz::fail("a coded answer changed its text");
    if (!st) check_error(st.error());
  }
}

void check_query(const Query& q, const Profile& profile) {
  if (!q.from().has_value() || q.to() < q.from()) fuzz::fail("a query with a bad range");
  auto again = internal::query_from_filter(profile, q.to_filter(profile));
  if (!again || !(*again == q)) fuzz::fail("query_from_filter(to_filter(q)) != q");
}

void queries(std::string_view from, std::string_view to, std::string_view filter) {
  static const Profile standard;
  static const Profile reordered = [] {
    Profile p;
    p.filter_template = "Date={from}/{to};Type={type}";
    return p;
  }();
  for (auto type : {RecordType::drug, RecordType::checkup, RecordType::expense}) {
    auto q = make_query(type, from, to);
    auto built = Query::Builder(type).from(from).to(to).build();
    if (q.ok() != built.ok() || (q && !(*q == *built))) fuzz::fail("make_query and Query::Builder disagree");
    if (q)
      check_query(*q, standard);
    else
      check_error(q.error());
  }
  for (const Profile* profile : {&standard, &reordered}) {
    auto q = internal::query_from_filter(*profile, filter);
    if (q)
      check_query(*q, *profile);
    else
      check_error(q.error());
  }
}

}  // namespace

MYNA_FUZZ_TARGET(query) {
  const std::string_view first = input.substr(0, input.find('\n'));
  const std::string_view after = input.substr(std::min(input.size(), first.size() + 1));
  const std::string_view second = after.substr(0, after.find('\n'));
  dates(first);
  numbers(first);
  codes(first);
  queries(first, second, input);
}
