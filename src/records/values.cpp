#include "myna/records/values.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <new>
#include <ostream>

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
/// false for any other shape.
bool date_fields(std::string_view text, int& y, int& m, int& d) noexcept {
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
bool month_fields(std::string_view text, int& y, int& m) noexcept {
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

}  // namespace

// ---------------------------------------------------------------- Date

bool is_valid_date(int year, int month, int day) noexcept {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

int days_in_month(int year, int month) noexcept {
  if (month < 1 || month > 12) return 0;
  return static_cast<int>(internal::days_in_month(year, static_cast<unsigned>(month)));
}

Result<Date> Date::make(int year, int month, int day) {
  if (!is_valid_date(year, month, day))
    return invalid("no such date: " + std::to_string(year) + "-" + std::to_string(month) + "-" +
                   std::to_string(day));
  return Date(static_cast<std::uint32_t>(year * 10000 + month * 100 + day));
}

std::optional<Date> Date::try_parse(std::string_view text) noexcept {
  int y, m, d;
  if (!date_fields(text, y, m, d)) return std::nullopt;
  if (y < 0 || m < 0 || d < 0 || !is_valid_date(y, m, d)) return std::nullopt;
  return Date(static_cast<std::uint32_t>(y * 10000 + m * 100 + d));
}

// The fast path, then the same checks again only to say what is wrong.
Result<Date> Date::parse(std::string_view text) {
  if (auto date = try_parse(text)) return *date;
  int y, m, d;
  if (!date_fields(text, y, m, d)) return invalid("date is not YYYYMMDD or YYYY-MM-DD");
  if (y < 0 || m < 0 || d < 0) return invalid("date has non-digit characters");
  if (!is_valid_date(y, m, d)) return invalid("date is not a real calendar date");
  return make(y, m, d);
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
  if (!has_value()) return {};
  std::string s;
  append_digits(s, packed_, 8);
  return s;
}

std::int64_t Date::days_since_epoch() const noexcept {
  return internal::days_from_civil({year(), static_cast<unsigned>(month()), static_cast<unsigned>(day())});
}

Date Date::from_days_since_epoch(std::int64_t days) noexcept {
  const internal::CivilDate date = internal::civil_from_days(days);
  if (date.year < 1 || date.year > 9999) return Date();
  return Date(static_cast<std::uint32_t>(date.year * 10000 + date.month * 100 + date.day));
}

// ---------------------------------------------------------------- YearMonth

Result<YearMonth> YearMonth::make(int year, int month) {
  if (year < 1 || year > 9999 || month < 1 || month > 12)
    return invalid("no such month: " + std::to_string(year) + "-" + std::to_string(month));
  return YearMonth(static_cast<std::uint32_t>(year * 100 + month));
}

std::optional<YearMonth> YearMonth::try_parse(std::string_view text) noexcept {
  int y, m;
  if (!month_fields(text, y, m)) return std::nullopt;
  if (y < 1 || m < 1 || m > 12) return std::nullopt;
  return YearMonth(static_cast<std::uint32_t>(y * 100 + m));
}

Result<YearMonth> YearMonth::parse(std::string_view text) {
  if (auto month = try_parse(text)) return *month;
  int y, m;
  if (!month_fields(text, y, m)) return invalid("year-month is not YYYYMM or YYYY-MM");
  if (y < 0 || m < 0) return invalid("year-month has non-digit characters");
  if (y < 1 || m < 1 || m > 12) return invalid("year-month is not a real month");
  return make(y, m);
}

YearMonth YearMonth::of(Date date) noexcept {
  return date.has_value() ? YearMonth(static_cast<std::uint32_t>(date.year() * 100 + date.month()))
                          : YearMonth();
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
  if (!has_value()) return {};
  std::string s;
  append_digits(s, packed_, 6);
  return s;
}

// ---------------------------------------------------------------- Text

Text::Text(std::string_view text) {
  if (text.size() > 0xFFFFFFFFu) throw std::length_error("myna::Text too long");
  void* mem = ::operator new(sizeof(Rep) + text.size());
  rep_ = new (mem) Rep{{1}, static_cast<std::uint32_t>(text.size())};
  if (!text.empty()) std::memcpy(reinterpret_cast<char*>(rep_ + 1), text.data(), text.size());
}

Text& Text::operator=(const Text& other) noexcept {
  other.retain();
  release();
  rep_ = other.rep_;
  return *this;
}

void Text::release_shared() noexcept {
  if (rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep_->~Rep();
    ::operator delete(rep_);
  }
}


// ---------------------------------------------------------------- Decimal

Result<Decimal> Decimal::of(std::int64_t mantissa, int scale) {
  if (scale < 0 || scale > kMaxScale) return invalid("decimal scale out of range");
  if (mantissa > kMaxMantissa || mantissa < -kMaxMantissa)
    return invalid("decimal has more than 17 significant digits");
  Decimal d;
  d.packed_ = mantissa * (std::int64_t{1} << kScaleBits) + (scale + 1);
  return d;
}

namespace {
enum class DecimalForm { ok, malformed, too_many_digits, too_many_decimals };

// The one scanner of decimal text, -?digits(.digits)?: at most 17 significant digits and
// max_scale fractional digits. On ok, mantissa and scale are the value.
DecimalForm scan_decimal(std::string_view text, int max_scale, std::int64_t& mantissa, int& scale) noexcept {
  std::size_t i = 0;
  const bool neg = !text.empty() && text[0] == '-';
  if (neg) ++i;
  mantissa = 0;
  scale = 0;
  int digits = 0;
  bool seen_point = false, seen_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !seen_point && seen_digit) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return DecimalForm::malformed;
    seen_digit = true;
    if (digits > 0 || c != '0') ++digits;
    if (digits > 17) return DecimalForm::too_many_digits;
    mantissa = mantissa * 10 + (c - '0');
    if (seen_point) ++scale;
  }
  if (!seen_digit || text.back() == '.') return DecimalForm::malformed;
  if (scale > max_scale) return DecimalForm::too_many_decimals;
  if (neg) mantissa = -mantissa;
  return DecimalForm::ok;
}
}  // namespace

std::optional<Decimal> Decimal::try_parse(std::string_view text) noexcept {
  std::int64_t mantissa = 0;
  int scale = 0;
  if (scan_decimal(text, kMaxScale, mantissa, scale) != DecimalForm::ok) return std::nullopt;
  Decimal d;  // 17 digits stay below kMaxMantissa
  d.packed_ = mantissa * (std::int64_t{1} << kScaleBits) + (scale + 1);
  return d;
}

// The fast path; the scanner runs again only to say what is wrong.
Result<Decimal> Decimal::parse(std::string_view text) {
  if (auto decimal = try_parse(text)) return *decimal;
  std::int64_t mantissa = 0;
  int scale = 0;
  switch (scan_decimal(text, kMaxScale, mantissa, scale)) {
    case DecimalForm::ok: return of(mantissa, scale);
    case DecimalForm::malformed: break;
    case DecimalForm::too_many_digits: return invalid("decimal has more than 17 significant digits");
    case DecimalForm::too_many_decimals: return invalid("decimal has too many fractional digits");
  }
  return invalid("decimal is not of the form -?digits(.digits)?");
}

std::string Decimal::to_string() const {
  if (!has_value()) return {};
  std::int64_t m = mantissa();
  int s = scale();
  std::string digits = std::to_string(m < 0 ? -m : m);
  if (static_cast<int>(digits.size()) <= s) digits.insert(0, static_cast<std::size_t>(s + 1) - digits.size(), '0');
  if (s > 0) digits.insert(digits.size() - static_cast<std::size_t>(s), 1, '.');
  return m < 0 ? "-" + digits : digits;
}

double Decimal::to_double() const noexcept {
  return static_cast<double>(mantissa()) / std::pow(10.0, scale());
}

bool Decimal::numerically_equal(Decimal a, Decimal b) noexcept {
  if (!a.has_value() || !b.has_value()) return a.has_value() == b.has_value();
  std::int64_t ma = a.mantissa(), mb = b.mantissa();
  int sa = a.scale(), sb = b.scale();
  while (sa < sb) {
    if (ma > kMaxMantissa / 10 * 10 || ma < -kMaxMantissa / 10 * 10) return false;
    ma *= 10, ++sa;
  }
  while (sb < sa) {
    if (mb > kMaxMantissa / 10 * 10 || mb < -kMaxMantissa / 10 * 10) return false;
    mb *= 10, ++sb;
  }
  return ma == mb;
}

// ---------------------------------------------------------------- Yen / Count

Result<Yen> Yen::make(std::int64_t amount) {
  if (amount < 0) return invalid("yen amount must not be negative");
  Yen y;
  y.amount_ = amount;
  return y;
}

std::optional<Yen> Yen::try_parse(std::string_view text) noexcept {
  if (!all_digits(text) || text.size() > 15) return std::nullopt;  // also refuses '-'
  Yen y;
  y.amount_ = digits_value(text);
  return y;
}

Result<Yen> Yen::parse(std::string_view text) {
  if (auto yen = try_parse(text)) return *yen;
  if (!text.empty() && text[0] == '-') return invalid("yen amount must not be negative");
  if (!all_digits(text) || text.size() > 15)
    return invalid("yen amount is not a whole number of at most 15 digits");
  return make(digits_value(text));
}

std::string Yen::to_string() const { return has_value() ? std::to_string(amount_) : std::string(); }

Result<Count> Count::make(std::int64_t value) {
  if (value < 0 || value > 999999999) return invalid("count must be between 0 and 999999999");
  Count c;
  c.value_ = static_cast<std::int32_t>(value);
  return c;
}

std::optional<Count> Count::try_parse(std::string_view text) noexcept {
  if (!all_digits(text) || text.size() > 9) return std::nullopt;
  Count c;
  c.value_ = static_cast<std::int32_t>(digits_value(text));
  return c;
}

Result<Count> Count::parse(std::string_view text) {
  if (auto count = try_parse(text)) return *count;
  if (!all_digits(text) || text.size() > 9)
    return invalid("count is not a whole number of at most 9 digits");
  return make(digits_value(text));
}

std::string Count::to_string() const { return has_value() ? std::to_string(value_) : std::string(); }

// ---------------------------------------------------------------- codes

const char* describe(CodeFormat format) noexcept {
  switch (format) {
    case CodeFormat::institution_code: return "10 digits";
    case CodeFormat::insurer_number: return "6 or 8 digits";
    case CodeFormat::medicine_code: return "9 digits";
    case CodeFormat::price_list_code: return "12 characters 0-9 A-Z";
    case CodeFormat::branch_number: return "2 digits";
  }
  return "?";
}

namespace {
bool price_list_chars(std::string_view text) noexcept {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

bool code_length_ok(CodeFormat format, std::size_t size) noexcept {
  switch (format) {
    case CodeFormat::institution_code: return size == 10;
    case CodeFormat::insurer_number: return size == 6 || size == 8;
    case CodeFormat::medicine_code: return size == 9;
    case CodeFormat::branch_number: return size == 2;
    case CodeFormat::price_list_code: return size == 12;
  }
  return false;
}

bool code_chars_ok(CodeFormat format, std::string_view text) noexcept {
  return format == CodeFormat::price_list_code ? price_list_chars(text) : all_digits(text);
}

// The fast yes/no of check_code (decoders call this per value; messages only on failure).
bool valid_code(CodeFormat format, std::string_view text) noexcept {
  return code_length_ok(format, text.size()) && code_chars_ok(format, text);
}
}  // namespace

std::string check_code(CodeFormat format, std::string_view text) {
  if (valid_code(format, text)) return {};
  auto fail = [&](const char* what) {
    return std::string("code ") + what + " (expected " + describe(format) + ")";
  };
  if (std::string_view(describe(format)) == "?") return fail("has an unknown format");
  if (!code_length_ok(format, text.size())) return fail("has the wrong length");
  return fail(format == CodeFormat::price_list_code ? "has a character outside 0-9 A-Z" : "is not all digits");
}

bool CodeString::try_assign(CodeFormat format, std::string_view text) noexcept {
  if (!valid_code(format, text)) return false;
  std::memcpy(chars_.data(), text.data(), text.size());
  size_ = static_cast<std::uint8_t>(text.size());
  return true;
}

Status CodeString::assign(CodeFormat format, std::string_view text) {
  if (try_assign(format, text)) return {};
  return invalid(check_code(format, text));
}

namespace {
// Membership of a 1-3 character code, compared inline (no memcmp call per entry).
bool listed(const CodeSet& set, std::string_view code) noexcept {
  for (std::size_t i = 0; i < set.size; ++i) {
    std::string_view entry = set.entries[i].code;
    if (entry.size() != code.size()) continue;
    std::size_t k = 0;
    while (k < code.size() && entry[k] == code[k]) ++k;
    if (k == code.size()) return true;
  }
  return false;
}
}  // namespace

std::string_view Coded::code() const noexcept {
  std::size_t n = 0;
  while (n < code_.size() && code_[n] != '\0') ++n;
  return {code_.data(), n};
}

std::string_view Coded::meaning() const noexcept {
  const CodeSet& set = code_set(set_);
  auto c = code();
  for (std::size_t i = 0; i < set.size; ++i)
    if (set.entries[i].code == c) return set.entries[i].meaning;
  return {};
}

bool Coded::try_assign(std::string_view text) noexcept {
  if (text.empty() || text.size() > code_.size() || !all_digits(text)) return false;
  if (const CodeSet& set = code_set(set_); set.closed && !listed(set, text)) return false;
  code_ = {};
  for (std::size_t i = 0; i < text.size(); ++i) code_[i] = text[i];  // 1-3 characters
  return true;
}

Status Coded::assign(std::string_view text) {
  if (try_assign(text)) return {};
  const CodeSet& set = code_set(set_);
  if (text.empty() || text.size() > code_.size() || !all_digits(text))
    return invalid("code is not 1-3 digits (" + std::string(set.name) + ")");
  return invalid("code is not in the code set " + std::string(set.name));
}

// ---------------------------------------------------------------- streams

// An absent value prints "(absent)"; an empty text prints "" so that it never looks absent.
namespace {
constexpr const char* kAbsent = "(absent)";
}  // namespace

std::ostream& operator<<(std::ostream& os, const Date& v) { return v.has_value() ? os << v.to_string() : os << kAbsent; }
std::ostream& operator<<(std::ostream& os, const YearMonth& v) {
  return v.has_value() ? os << v.to_string() : os << kAbsent;
}
std::ostream& operator<<(std::ostream& os, const Text& v) {
  if (!v.has_value()) return os << kAbsent;
  return v.empty() ? os << "\"\"" : os << v.view();
}
std::ostream& operator<<(std::ostream& os, const Decimal& v) {
  return v.has_value() ? os << v.to_string() : os << kAbsent;
}
std::ostream& operator<<(std::ostream& os, const Yen& v) { return v.has_value() ? os << v.to_string() : os << kAbsent; }
std::ostream& operator<<(std::ostream& os, const Count& v) { return v.has_value() ? os << v.to_string() : os << kAbsent; }
std::ostream& operator<<(std::ostream& os, const CodeString& v) {
  return v.has_value() ? os << v.view() : os << kAbsent;
}
std::ostream& operator<<(std::ostream& os, const Coded& v) {
  if (!v.has_value()) return os << kAbsent;
  os << v.code();
  if (auto m = v.meaning(); !m.empty()) os << " (" << m << ")";
  return os;
}

}  // namespace myna
