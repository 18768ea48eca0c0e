#include "myna/records/values.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <new>
#include <ostream>
#include <utility>

#include "internal/civil_date.hpp"
#include "internal/text.hpp"

namespace myna {
namespace {

Error invalid(std::string what) { return Error(ErrorCategory::validation, std::move(what)); }

using internal::all_digits;
using internal::append_digits;
using internal::digits_at;
using internal::digits_value;

// Parse errors never show the text: decoders pass them on, and the text may be a record value
// (docs/errors.md: no record values in messages; it may also hold control characters).

/// Year, month and day of "YYYYMMDD" or "YYYY-MM-DD" (-1 for a field with a non-digit);
/// false for any other shape. iso: the dashed form.
bool date_fields(std::string_view text, int& y, int& m, int& d, bool& iso) noexcept {
  iso = text.size() == 10;
  if (text.size() == 8) {
    y = digits_at(text, 0, 4), m = digits_at(text, 4, 2), d = digits_at(text, 6, 2);
    return true;
  }
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    y = digits_at(text, 0, 4), m = digits_at(text, 5, 2), d = digits_at(text, 8, 2);
    return true;
  }
  return false;
}

/// Year and month of "YYYYMM" or "YYYY-MM", as date_fields.
bool month_fields(std::string_view text, int& y, int& m, bool& iso) noexcept {
  iso = text.size() == 7;
  if (text.size() == 6) {
    y = digits_at(text, 0, 4), m = digits_at(text, 4, 2);
    return true;
  }
  if (text.size() == 7 && text[4] == '-') {
    y = digits_at(text, 0, 4), m = digits_at(text, 5, 2);
    return true;
  }
  return false;
}

/// Sign and magnitude of -?(0|[1-9][0-9]{0,max_digits-1}); false for any other text.
bool scan_integer(std::string_view text, std::size_t max_digits, bool& negative, std::uint64_t& magnitude) noexcept {
  negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > max_digits || !all_digits(text)) return false;
  if (text.size() > 1 && text[0] == '0') return false;
  magnitude = static_cast<std::uint64_t>(digits_value(text));
  return true;
}

std::string signed_text(bool negative, std::uint64_t magnitude) {
  return (negative ? "-" : "") + std::to_string(magnitude);
}

}  // namespace

const char* to_string(ValueState state) noexcept {
  switch (state) {
    case ValueState::absent: return "absent";
    case ValueState::valid: return "valid";
    case ValueState::unparsed: return "unparsed";
  }
  return "?";
}

// ---------------------------------------------------------------- Date

bool is_valid_date(int year, int month, int day) noexcept {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

int days_in_month(int year, int month) noexcept {
  if (month < 1 || month > 12) return 0;
  return static_cast<int>(internal::days_in_month(year, static_cast<unsigned>(month)));
}

Date Date::packed(std::uint32_t yyyymmdd, bool iso) noexcept {
  Date d;
  d.set_packed(std::uint64_t{yyyymmdd} << 1 | (iso ? 1u : 0u));
  return d;
}

Date Date::unparsed(std::string_view text) {
  Date d;
  d.set_unparsed(text);
  return d;
}

Result<Date> Date::make(int year, int month, int day) {
  if (!is_valid_date(year, month, day))
    return invalid("no such date: " + std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day));
  return packed(static_cast<std::uint32_t>(year * 10000 + month * 100 + day), false);
}

std::optional<Date> Date::try_parse(std::string_view text) noexcept {
  int y, m, d;
  bool iso;
  if (!date_fields(text, y, m, d, iso)) return std::nullopt;
  if (y < 0 || m < 0 || d < 0 || !is_valid_date(y, m, d)) return std::nullopt;
  return packed(static_cast<std::uint32_t>(y * 10000 + m * 100 + d), iso);
}

// The fast path, then the same checks again only to say what is wrong.
Result<Date> Date::parse(std::string_view text) {
  if (auto date = try_parse(text)) return *date;
  int y, m, d;
  bool iso;
  if (!date_fields(text, y, m, d, iso)) return invalid("date is not YYYYMMDD or YYYY-MM-DD");
  if (y < 0 || m < 0 || d < 0) return invalid("date has non-digit characters");
  return invalid("date is not a real calendar date");
}

Date Date::today_jst() {
  using namespace std::chrono;
  auto secs = duration_cast<seconds>(system_clock::now().time_since_epoch()).count() + 9 * 3600;
  return from_days_since_epoch(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400);
}

std::string Date::to_string() const {
  if (!has_value()) return {};
  std::string s;
  append_digits(s, static_cast<unsigned>(year()), 4);
  s += '-';
  append_digits(s, static_cast<unsigned>(month()), 2);
  s += '-';
  append_digits(s, static_cast<unsigned>(day()), 2);
  return s;
}

std::string Date::to_wire() const {
  if (auto text = unparsed_text()) return std::string(*text);
  if (!has_value()) return {};
  if (iso_form()) return to_string();
  std::string s;
  append_digits(s, yyyymmdd(), 8);
  return s;
}

std::int64_t Date::days_since_epoch() const noexcept {
  return internal::days_from_civil({year(), static_cast<unsigned>(month()), static_cast<unsigned>(day())});
}

Date Date::from_days_since_epoch(std::int64_t days) noexcept {
  const internal::CivilDate date = internal::civil_from_days(days);
  if (date.year < 1 || date.year > 9999) return Date();
  return packed(static_cast<std::uint32_t>(date.year * 10000 + date.month * 100 + date.day), false);
}

// ---------------------------------------------------------------- YearMonth

YearMonth YearMonth::packed(std::uint32_t yyyymm, bool iso) noexcept {
  YearMonth ym;
  ym.set_packed(std::uint64_t{yyyymm} << 1 | (iso ? 1u : 0u));
  return ym;
}

YearMonth YearMonth::unparsed(std::string_view text) {
  YearMonth ym;
  ym.set_unparsed(text);
  return ym;
}

Result<YearMonth> YearMonth::make(int year, int month) {
  if (year < 1 || year > 9999 || month < 1 || month > 12)
    return invalid("no such month: " + std::to_string(year) + "-" + std::to_string(month));
  return packed(static_cast<std::uint32_t>(year * 100 + month), false);
}

std::optional<YearMonth> YearMonth::try_parse(std::string_view text) noexcept {
  int y, m;
  bool iso;
  if (!month_fields(text, y, m, iso)) return std::nullopt;
  if (y < 1 || m < 1 || m > 12) return std::nullopt;
  return packed(static_cast<std::uint32_t>(y * 100 + m), iso);
}

Result<YearMonth> YearMonth::parse(std::string_view text) {
  if (auto month = try_parse(text)) return *month;
  int y, m;
  bool iso;
  if (!month_fields(text, y, m, iso)) return invalid("year-month is not YYYYMM or YYYY-MM");
  if (y < 0 || m < 0) return invalid("year-month has non-digit characters");
  return invalid("year-month is not a real month");
}

YearMonth YearMonth::of(const Date& date) noexcept {
  return date.has_value() ? packed(static_cast<std::uint32_t>(date.year() * 100 + date.month()), false) : YearMonth();
}

Date YearMonth::first_day() const noexcept {
  auto r = Date::make(year(), month(), 1);
  return r ? *r : Date();
}

Date YearMonth::last_day() const noexcept {
  auto r = Date::make(year(), month(), days_in_month(year(), month()));
  return r ? *r : Date();
}

std::string YearMonth::to_string() const {
  if (!has_value()) return {};
  std::string s;
  append_digits(s, static_cast<unsigned>(year()), 4);
  s += '-';
  append_digits(s, static_cast<unsigned>(month()), 2);
  return s;
}

std::string YearMonth::to_wire() const {
  if (auto text = unparsed_text()) return std::string(*text);
  if (!has_value()) return {};
  if (iso_form()) return to_string();
  std::string s;
  append_digits(s, yyyymm(), 6);
  return s;
}

// ---------------------------------------------------------------- Decimal
// Payload: bits 0-2 comparator, 3-7 scale, 8 sign, 9-61 magnitude.

namespace {
std::uint64_t decimal_payload(bool negative, std::uint64_t magnitude, int scale, Comparator c) noexcept {
  return magnitude << 9 | std::uint64_t{negative} << 8 | static_cast<std::uint64_t>(scale) << 3 |
         static_cast<std::uint64_t>(c);
}

// The one scanner of canonical decimal text: -?(0|[1-9][0-9]*)(\.[0-9]+)?, magnitude below
// 2^53, at most kMaxScale fractional digits.
bool scan_decimal(std::string_view text, bool& negative, std::uint64_t& magnitude, int& scale) noexcept {
  std::size_t i = 0;
  negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  const std::size_t int_begin = i;
  magnitude = 0;
  scale = 0;
  for (; i < text.size() && internal::is_digit(text[i]); ++i) {
    magnitude = magnitude * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (magnitude > static_cast<std::uint64_t>(Decimal::kMaxMagnitude)) return false;
  }
  const std::size_t int_digits = i - int_begin;
  if (int_digits == 0 || (int_digits > 1 && text[int_begin] == '0')) return false;
  if (i == text.size()) return true;
  if (text[i] != '.' || i + 1 == text.size()) return false;
  for (++i; i < text.size(); ++i, ++scale) {
    if (!internal::is_digit(text[i]) || scale == Decimal::kMaxScale) return false;
    magnitude = magnitude * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (magnitude > static_cast<std::uint64_t>(Decimal::kMaxMagnitude)) return false;
  }
  return true;
}
}  // namespace

Decimal Decimal::unparsed(std::string_view text) {
  Decimal d;
  d.set_unparsed(text);
  return d;
}

Result<Decimal> Decimal::of(std::int64_t mantissa, int scale) {
  if (scale < 0 || scale > kMaxScale) return invalid("decimal scale out of range");
  if (mantissa > kMaxMagnitude || mantissa < -kMaxMagnitude)
    return invalid("decimal has more significant digits than a Decimal holds");
  Decimal d;
  const bool neg = mantissa < 0;
  d.set_packed(decimal_payload(neg, static_cast<std::uint64_t>(neg ? -mantissa : mantissa), scale, Comparator::none));
  return d;
}

std::optional<Decimal> Decimal::try_parse(std::string_view text) noexcept {
  bool negative;
  std::uint64_t magnitude;
  int scale;
  if (!scan_decimal(text, negative, magnitude, scale)) return std::nullopt;
  Decimal d;
  d.set_packed(decimal_payload(negative, magnitude, scale, Comparator::none));
  return d;
}

std::optional<Decimal> Decimal::try_parse_with_comparator(std::string_view text) noexcept {
  Comparator c = Comparator::none;
  if (text.size() >= 2 && (text[0] == '<' || text[0] == '>')) {
    const bool eq = text[1] == '=';
    c = text[0] == '<' ? (eq ? Comparator::less_equal : Comparator::less)
                       : (eq ? Comparator::greater_equal : Comparator::greater);
    text.remove_prefix(eq ? 2 : 1);
  }
  if (c == Comparator::none || (!text.empty() && text[0] == '-')) return std::nullopt;
  auto d = try_parse(text);
  if (!d) return std::nullopt;
  return d->with_comparator(c);
}

// The fast path; the checks again only to say what is wrong.
Result<Decimal> Decimal::parse(std::string_view text) {
  if (auto decimal = try_parse(text)) return *decimal;
  return invalid("decimal is not in the canonical form -?(0|[1-9][0-9]*)(.[0-9]+)? of at most 15 digits");
}

std::int64_t Decimal::mantissa() const noexcept {
  if (!has_value()) return 0;
  const auto magnitude = static_cast<std::int64_t>(payload() >> 9);
  return negative() ? -magnitude : magnitude;
}

Decimal Decimal::with_comparator(Comparator comparator) const noexcept {
  Decimal d = *this;
  if (d.has_value()) d.set_packed((payload() & ~std::uint64_t{7}) | static_cast<std::uint64_t>(comparator));
  return d;
}

std::string Decimal::to_string() const {
  if (!has_value()) return {};
  const int s = scale();
  std::string digits = std::to_string(payload() >> 9);
  if (static_cast<int>(digits.size()) <= s) digits.insert(0, static_cast<std::size_t>(s + 1) - digits.size(), '0');
  if (s > 0) digits.insert(digits.size() - static_cast<std::size_t>(s), 1, '.');
  return negative() ? "-" + digits : digits;
}

std::string Decimal::to_wire() const {
  if (auto text = unparsed_text()) return std::string(*text);
  return std::string(myna::to_string(comparator())) + to_string();
}

double Decimal::to_double() const noexcept { return static_cast<double>(mantissa()) / std::pow(10.0, scale()); }

bool Decimal::numerically_equal(const Decimal& a, const Decimal& b) noexcept {
  if (!a.has_value() || !b.has_value()) return a.has_value() == b.has_value();
  if (a.comparator() != b.comparator()) return false;
  // Without trailing fractional zeros, equal numbers have equal mantissa and scale.
  auto normal = [](std::int64_t m, int s) {
    while (s > 0 && m % 10 == 0) m /= 10, --s;
    return std::pair<std::int64_t, int>(m, s);
  };
  return normal(a.mantissa(), a.scale()) == normal(b.mantissa(), b.scale());
}

std::string_view to_string(Comparator comparator) noexcept {
  switch (comparator) {
    case Comparator::none: return "";
    case Comparator::less: return "<";
    case Comparator::less_equal: return "<=";
    case Comparator::greater: return ">";
    case Comparator::greater_equal: return ">=";
  }
  return "";
}

// ---------------------------------------------------------------- Yen / Count
// Payload: bit 0 sign, the rest the magnitude.

Result<Yen> Yen::make(std::int64_t amount) {
  if (amount > 999999999999999 || amount < -999999999999999) return invalid("yen amount has more than 15 digits");
  Yen y;
  y.set_packed(static_cast<std::uint64_t>(amount < 0 ? -amount : amount) << 1 | (amount < 0 ? 1u : 0u));
  return y;
}

std::optional<Yen> Yen::try_parse(std::string_view text) noexcept {
  bool negative;
  std::uint64_t magnitude;
  if (!scan_integer(text, 15, negative, magnitude)) return std::nullopt;
  Yen y;
  y.set_packed(magnitude << 1 | (negative ? 1u : 0u));
  return y;
}

Result<Yen> Yen::parse(std::string_view text) {
  if (auto yen = try_parse(text)) return *yen;
  return invalid("yen amount is not a whole number of at most 15 digits without a leading zero");
}

Yen Yen::unparsed(std::string_view text) {
  Yen y;
  y.set_unparsed(text);
  return y;
}

std::int64_t Yen::amount() const noexcept {
  if (!has_value()) return 0;
  const auto magnitude = static_cast<std::int64_t>(payload() >> 1);
  return negative() ? -magnitude : magnitude;
}

std::string Yen::to_string() const {
  if (auto text = unparsed_text()) return std::string(*text);
  return has_value() ? signed_text(negative(), payload() >> 1) : std::string();
}

Result<Count> Count::make(std::int64_t value) {
  if (value < -999999999 || value > 999999999) return invalid("count must have at most 9 digits");
  Count c;
  c.set_packed(static_cast<std::uint64_t>(value < 0 ? -value : value) << 1 | (value < 0 ? 1u : 0u));
  return c;
}

std::optional<Count> Count::try_parse(std::string_view text) noexcept {
  bool negative;
  std::uint64_t magnitude;
  if (!scan_integer(text, 9, negative, magnitude)) return std::nullopt;
  Count c;
  c.set_packed(magnitude << 1 | (negative ? 1u : 0u));
  return c;
}

Result<Count> Count::parse(std::string_view text) {
  if (auto count = try_parse(text)) return *count;
  return invalid("count is not a whole number of at most 9 digits without a leading zero");
}

Count Count::unparsed(std::string_view text) {
  Count c;
  c.set_unparsed(text);
  return c;
}

std::int32_t Count::value() const noexcept {
  if (!has_value()) return 0;
  const auto magnitude = static_cast<std::int32_t>(payload() >> 1);
  return negative() ? -magnitude : magnitude;
}

std::string Count::to_string() const {
  if (auto text = unparsed_text()) return std::string(*text);
  return has_value() ? signed_text(negative(), payload() >> 1) : std::string();
}

// ---------------------------------------------------------------- streams

// An absent value prints "(absent)", an empty text "" (two quotation marks), so that absent and
// empty never look alike; an unparsed value prints the text as received.
namespace {
constexpr const char* kAbsent = "(absent)";

template <class V>
std::ostream& print_word(std::ostream& os, const V& v, const std::string& shown) {
  return v.is_absent() ? os << kAbsent : os << shown;
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const Date& v) {
  return print_word(os, v, v.has_value() ? v.to_string() : v.to_wire());
}
std::ostream& operator<<(std::ostream& os, const YearMonth& v) {
  return print_word(os, v, v.has_value() ? v.to_string() : v.to_wire());
}
std::ostream& operator<<(std::ostream& os, const Text& v) {
  if (v.state() == ValueState::absent) return os << kAbsent;
  if (!v.has_value()) return os << v.unparsed_text().value_or("");
  return v.empty() ? os << "\"\"" : os << v.view();
}
std::ostream& operator<<(std::ostream& os, const Decimal& v) { return print_word(os, v, v.to_wire()); }
std::ostream& operator<<(std::ostream& os, const Yen& v) { return print_word(os, v, v.to_string()); }
std::ostream& operator<<(std::ostream& os, const Count& v) { return print_word(os, v, v.to_string()); }

}  // namespace myna
