#include <catch2/catch.hpp>
#include <sstream>

#include "myna/records.hpp"

using namespace myna;

TEST_CASE("Date parses wire and ISO forms and rejects impossible dates", "[values]") {
  auto d = Date::parse("20240229");
  REQUIRE(d.ok());
  CHECK(d->year() == 2024);
  CHECK(d->month() == 2);
  CHECK(d->day() == 29);
  CHECK(d->to_string() == "2024-02-29");
  CHECK(d->to_wire() == "20240229");
  // The ISO form is the same day, remembered as received: it re-encodes as it came.
  const Date iso = Date::parse("2024-02-29").value();
  CHECK(iso.yyyymmdd() == d->yyyymmdd());
  CHECK(iso.iso_form());
  CHECK(iso.to_wire() == "2024-02-29");
  CHECK(iso == *d);  // the same day
  CHECK_FALSE(iso < *d);

  CHECK_FALSE(Date::parse("20230229").ok());  // not a leap year
  CHECK_FALSE(Date::parse("20241301").ok());
  CHECK_FALSE(Date::parse("20240100").ok());
  CHECK_FALSE(Date::parse("2024011").ok());
  CHECK_FALSE(Date::parse("2024-1-01").ok());
  CHECK_FALSE(Date::parse("2024O101").ok());
  CHECK(Date::parse("20241301").error().category() == ErrorCategory::validation);
  CHECK(Date::parse("19000229").ok() == false);
  CHECK(Date::parse("20000229").ok());
}

TEST_CASE("Date arithmetic round-trips through days since epoch", "[values]") {
  for (const char* s : {"19700101", "20000229", "20241231", "00010101", "99991231"}) {
    Date d = Date::parse(s).value();
    CHECK(Date::from_days_since_epoch(d.days_since_epoch()) == d);
  }
  CHECK(Date::parse("19700102").value().days_since_epoch() == 1);
}

TEST_CASE("YearMonth knows its first and last day", "[values]") {
  auto ym = YearMonth::parse("202402").value();
  CHECK(ym.first_day().to_string() == "2024-02-01");
  CHECK(ym.last_day().to_string() == "2024-02-29");
  CHECK(YearMonth::parse("2024-13").ok() == false);
  CHECK(YearMonth::parse("202400").ok() == false);
  CHECK(ym.to_wire() == "202402");
}

TEST_CASE("Decimal keeps the exact text of lab values", "[values]") {
  for (const char* s : {"5.6", "5.60", "0.05", "120", "0", "0.000", "-1.5", "-0", "9007199254740991"}) {
    auto d = Decimal::parse(s);
    REQUIRE(d.ok());
    CHECK(d->to_string() == s);
  }
  CHECK(Decimal::parse("5.6")->mantissa() == 56);
  CHECK(Decimal::parse("5.6")->scale() == 1);
  CHECK(Decimal::parse("5.6").value() != Decimal::parse("5.60").value());
  CHECK(Decimal::numerically_equal(Decimal::parse("5.6").value(), Decimal::parse("5.60").value()));
  for (const char* bad : {"", ".", "5.", ".5", "1e5", "+1", " 1", "1 ", "1,000", "--1", "1.2.3", "05.6", "00",
                          "9007199254740992", "<0.5"})
    CHECK_FALSE(Decimal::parse(bad).ok());
  CHECK_FALSE(Decimal().has_value());
  CHECK(Decimal::parse("0")->has_value());  // zero is a value, not "not measured"
}

TEST_CASE("Decimal carries a comparator and keeps every other text unparsed", "[values]") {
  auto below = Decimal::try_parse_with_comparator("<0.5");
  REQUIRE(below);
  CHECK(below->comparator() == Comparator::less);
  CHECK(below->to_string() == "0.5");
  CHECK(below->to_wire() == "<0.5");
  CHECK(Decimal::try_parse_with_comparator(">=300")->comparator() == Comparator::greater_equal);
  CHECK_FALSE(Decimal::try_parse_with_comparator("<-5"));
  CHECK_FALSE(Decimal::try_parse_with_comparator("0.5"));
  const Decimal kept = Decimal::unparsed("0.5未満");
  CHECK(kept.state() == ValueState::unparsed);
  CHECK_FALSE(kept.has_value());
  CHECK(kept.unparsed_text() == std::optional<std::string_view>("0.5未満"));
  CHECK(kept.to_wire() == "0.5未満");
  Decimal copy = kept;  // shares the text
  CHECK(copy == kept);
  CHECK(sizeof(Decimal) == 8);
}

TEST_CASE("Yen and Count are whole numbers in canonical form; negative amounts are values", "[values]") {
  CHECK(Yen::parse("0")->amount() == 0);
  CHECK(Yen::parse("123456")->amount() == 123456);
  CHECK(Yen::parse("-3450")->amount() == -3450);  // a correction
  CHECK(Yen::parse("-3450")->to_string() == "-3450");
  CHECK(Yen::make(-5)->amount() == -5);
  CHECK_FALSE(Yen::parse("1.5").ok());
  CHECK_FALSE(Yen::parse("03450").ok());  // would not re-encode as received
  CHECK_FALSE(Yen::parse("1000000000000000").ok());
  CHECK_FALSE(Yen().has_value());
  CHECK(Count::parse("42")->value() == 42);
  CHECK(Count::parse("-2")->value() == -2);
  CHECK_FALSE(Count::parse("4x").ok());
  CHECK_FALSE(Count::parse("014").ok());
  const Count kept = Count::unparsed("１４");
  CHECK(kept.to_string() == "１４");
  CHECK(kept.state() == ValueState::unparsed);
}

TEST_CASE("Codes are validated strings that keep leading zeros", "[values]") {
  auto code = InstitutionCode::parse("0112345678");
  REQUIRE(code.ok());
  CHECK(code->str() == "0112345678");
  CHECK_FALSE(InstitutionCode::parse("112345678").ok());
  CHECK_FALSE(InstitutionCode::parse("01123456789").ok());
  CHECK_FALSE(InstitutionCode::parse("01123A5678").ok());
  CHECK(InsurerNumber::parse("060001").ok());
  CHECK(InsurerNumber::parse("06130012").ok());
  CHECK_FALSE(InsurerNumber::parse("0613001").ok());
  CHECK(MedicineCode::parse("620000001").ok());
  CHECK_FALSE(MedicineCode::parse("62000000").ok());
  CHECK(PriceListCode::parse("1149019F1560").ok());
  CHECK_FALSE(PriceListCode::parse("1149019f1560").ok());
  CHECK(BranchNumber::parse("01")->str() == "01");
  CHECK(PriceListCode::parse("ZZZZZZZZZZZZ")->str() == "ZZZZZZZZZZZZ");  // the largest packed code
  CHECK(sizeof(InstitutionCode) == 8);
  InstitutionCode lost_zero;
  lost_zero.assign_unparsed("141234567");
  CHECK(lost_zero.str() == "141234567");
  CHECK_FALSE(lost_zero.has_value());
}

TEST_CASE("Coded answers carry their meaning; every set is open", "[values]") {
  Coded unknown(CodeSetId::metabolic_syndrome);
  REQUIRE(unknown.assign("9").ok());  // kept without meaning (the decoder notes unknown_code)
  CHECK_FALSE(unknown.lookup().known);
  CHECK(unknown.meaning().empty());
  Coded c(CodeSetId::metabolic_syndrome);
  REQUIRE(c.assign("2").ok());
  CHECK(c.meaning() == "予備群該当");
  CHECK(c.system() == "urn:oid:1.2.392.200119.6.1008");
  CHECK(c.set() == CodeSetId::metabolic_syndrome);
  CHECK(sizeof(Coded) == 8);
  Coded level(CodeSetId::guidance_level);
  REQUIRE(level.assign("1").ok());
  CHECK(level.meaning() == "積極的支援");
  Coded program(CodeSetId::program_service);
  REQUIRE(program.assign("010").ok());
  CHECK(program.code() == "010");
  CHECK(program.meaning() == "特定健診");
  Coded open(CodeSetId::treatment_category);
  CHECK(open.assign("99").ok());  // open set: any 1-3 digits
  CHECK(open.meaning().empty());
  CHECK_FALSE(open.assign("9999").ok());
  std::ostringstream os;
  os << c;
  CHECK(os.str() == "2 (予備群該当)");
}

TEST_CASE("Code sets are indexed by their id", "[values]") {
  for (int i = 0; i < static_cast<int>(CodeSetId::count_); ++i)
    CHECK(static_cast<int>(code_set(static_cast<CodeSetId>(i)).id) == i);
}

TEST_CASE("Text distinguishes absent from empty and shares storage on copy", "[values]") {
  Text absent;
  Text empty{std::string_view{}};
  CHECK_FALSE(absent.has_value());
  CHECK(empty.has_value());
  CHECK(absent != empty);
  Text name("山田 太郎");
  Text copy = name;
  CHECK(copy.view().data() == name.view().data());
  CHECK(copy == "山田 太郎");
  CHECK(sizeof(Text) == sizeof(void*));
}

namespace {
// Oracles written from the documented grammar, to hold the fast parsers to it.
bool digits_only(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}
int number(std::string_view s) { return std::stoi(std::string(s)); }

bool date_ok(std::string_view s) {
  std::string d;
  if (s.size() == 8)
    d = std::string(s);
  else if (s.size() == 10 && s[4] == '-' && s[7] == '-')
    d = std::string(s.substr(0, 4)) + std::string(s.substr(5, 2)) + std::string(s.substr(8, 2));
  else
    return false;
  return digits_only(d) && is_valid_date(number(d.substr(0, 4)), number(d.substr(4, 2)), number(d.substr(6, 2)));
}
bool year_month_ok(std::string_view s) {
  std::string d;
  if (s.size() == 6)
    d = std::string(s);
  else if (s.size() == 7 && s[4] == '-')
    d = std::string(s.substr(0, 4)) + std::string(s.substr(5, 2));
  else
    return false;
  return digits_only(d) && number(d.substr(0, 4)) >= 1 && number(d.substr(4, 2)) >= 1 && number(d.substr(4, 2)) <= 12;
}
// Canonical decimals: no leading zero, at most 20 fractional digits, below 2^53 as an integer.
bool decimal_ok(std::string_view s) {
  std::string_view body = !s.empty() && s[0] == '-' ? s.substr(1) : s;
  const auto point = body.find('.');
  std::string_view whole = body.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? std::string_view("0") : body.substr(point + 1);
  if (!digits_only(whole) || !digits_only(fraction) || fraction.size() > 20) return false;
  if (whole.size() > 1 && whole[0] == '0') return false;
  std::string all = std::string(whole) + std::string(point == std::string_view::npos ? "" : fraction);
  const auto first = all.find_first_not_of('0');
  if (first == std::string::npos) return true;
  const std::string significant = all.substr(first);
  return significant.size() < 16 || (significant.size() == 16 && significant <= "9007199254740991");
}
// -?(0|[1-9][0-9]{0,max-1})
bool integer_ok(std::string_view s, std::size_t max) {
  std::string_view body = !s.empty() && s[0] == '-' ? s.substr(1) : s;
  return digits_only(body) && body.size() <= max && (body.size() == 1 || body[0] != '0');
}
}  // namespace

TEST_CASE("the fast parsers accept exactly what the documented grammar allows", "[values]") {
  const std::string alphabet = "0000111229-.5a ";
  std::uint64_t state = 12345;
  auto next = [&](std::size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((state >> 33) % n);
  };
  for (int i = 0; i < 300000; ++i) {
    std::string s(next(23), ' ');
    for (char& c : s) c = alphabet[next(alphabet.size())];
    if (next(3) == 0 && s.size() >= 8) s[4] = '-', s[7] = '-';
    INFO('"' << s << '"');
    REQUIRE(Date::try_parse(s).has_value() == date_ok(s));
    REQUIRE(Date::parse(s).ok() == date_ok(s));
    REQUIRE(YearMonth::try_parse(s).has_value() == year_month_ok(s));
    REQUIRE(YearMonth::parse(s).ok() == year_month_ok(s));
    REQUIRE(Decimal::try_parse(s).has_value() == decimal_ok(s));
    REQUIRE(Decimal::parse(s).ok() == decimal_ok(s));
    REQUIRE(Count::try_parse(s).has_value() == integer_ok(s, 9));
    REQUIRE(Yen::try_parse(s).has_value() == integer_ok(s, 15));
    REQUIRE(Yen::parse(s).ok() == integer_ok(s, 15));
    CodeString code;
    REQUIRE(code.try_assign(CodeFormat::medicine_code, s) == (digits_only(s) && s.size() == 9));
    REQUIRE(code.assign(CodeFormat::insurer_number, s).ok() == (digits_only(s) && (s.size() == 6 || s.size() == 8)));
    Coded answer(CodeSetId::yes_no);
    REQUIRE(answer.try_assign(s) == (digits_only(s) && s.size() <= 3));
    REQUIRE(Coded(CodeSetId::treatment_category).try_assign(s) == (digits_only(s) && s.size() <= 3));
    if (auto d = Decimal::try_parse(s)) {
      REQUIRE(Decimal::parse(d->to_string()).value() == *d);
      REQUIRE(d->to_double() == Approx(std::stod(s)));
    }
    if (auto d = Date::try_parse(s)) REQUIRE(Date::parse(d->to_wire()).value() == *d);
    if (auto c = Count::try_parse(s)) REQUIRE(c->value() == std::stoi(s));
  }
}

TEST_CASE("Printed values: absent and empty never look alike", "[values]") {
  auto shown = [](const auto& v) {
    std::ostringstream os;
    os << v;
    return os.str();
  };
  CHECK(shown(Date()) == "(absent)");
  CHECK(shown(Date::parse("2024-01-15").value()) == "2024-01-15");
  CHECK(shown(YearMonth()) == "(absent)");
  CHECK(shown(Decimal()) == "(absent)");
  CHECK(shown(Yen()) == "(absent)");
  CHECK(shown(Count()) == "(absent)");
  CHECK(shown(Coded(CodeSetId::program_service)) == "(absent)");
  CHECK(shown(Text()) == "(absent)");
  CHECK(shown(Text("")) == "\"\"");
  CHECK(shown(Text("ロキソニン")) == "ロキソニン");
  CHECK(shown(Text::unparsed("{\"a\":1}")) == "{\"a\":1}");
}

#include "internal/utf8.hpp"

TEST_CASE("UTF-8 repair replaces each maximal ill-formed subpart, as Python's 'replace'", "[values]") {
  const std::string r = "\xEF\xBF\xBD";
  struct Case {
    std::string in, out;
  };
  // Expected outputs from bytes.decode('utf-8', 'replace').
  const Case cases[] = {
      {"\xED\xA0\x80", r + r + r},  // CESU-8 surrogate: three subparts
      {"\x83\x65", r + "e"},        // Shift_JIS fragment
      {"\xF0\x9F\x98", r},          // a cut 4-byte sequence: one subpart
      {"\xE3\x81"
       "A",
       r + "A"},
      {"\xFF", r},
      {"\xC0\xAF", r + r},                  // overlong
      {"\xF4\x90\x80\x80", r + r + r + r},  // beyond U+10FFFF
      {"a\xE0\x80\xAF"
       "b",
       "a" + r + r + r + "b"},
      {"山田 太郎", "山田 太郎"},
  };
  for (const Case& c : cases) {
    INFO(c.in);
    CHECK(internal::repair_utf8(c.in) == c.out);
    CHECK(internal::is_valid_utf8(c.in) == (c.in == c.out));
  }
  CHECK(internal::is_valid_utf8(std::string(40, 'a') + "\xE3\x81\x82" + std::string(20, 'b')));
  CHECK_FALSE(internal::is_valid_utf8(std::string(40, 'a') + "\xE3\x81" + std::string(20, 'b')));
}

TEST_CASE("Repaired text is valid UTF-8 and keeps the received bytes", "[values]") {
  const Text t = Text::repaired("鈴木\xEF\xBF\xBD恵美", "鈴木\xFF恵美");
  CHECK(t.has_value());
  CHECK(t.state() == ValueState::unparsed);
  CHECK(t.view() == "鈴木\xEF\xBF\xBD恵美");
  CHECK(t.unparsed_text() == std::optional<std::string_view>("鈴木\xFF恵美"));
  const Text object = Text::unparsed("{\"a\":1}");
  CHECK_FALSE(object.has_value());
  CHECK(object.view().empty());
  CHECK(object.unparsed_text() == std::optional<std::string_view>("{\"a\":1}"));
  Text copy = t;
  CHECK(copy == t);
  CHECK(copy != object);
}
