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
  CHECK(Date::parse("2024-02-29").value() == *d);

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
  for (const char* s : {"5.6", "5.60", "0.05", "120", "0", "0.000", "-1.5", "99999999999999999"}) {
    auto d = Decimal::parse(s);
    REQUIRE(d.ok());
    CHECK(d->to_string() == s);
  }
  CHECK(Decimal::parse("5.6")->mantissa() == 56);
  CHECK(Decimal::parse("5.6")->scale() == 1);
  CHECK(Decimal::parse("5.6").value() != Decimal::parse("5.60").value());
  CHECK(Decimal::numerically_equal(Decimal::parse("5.6").value(), Decimal::parse("5.60").value()));
  for (const char* bad : {"", ".", "5.", ".5", "1e5", "+1", " 1", "1 ", "1,000", "--1", "1.2.3", "123456789012345678"})
    CHECK_FALSE(Decimal::parse(bad).ok());
  CHECK_FALSE(Decimal().has_value());
  CHECK(Decimal::parse("0")->has_value());  // zero is a value, not "not measured"
}

TEST_CASE("Yen and Count are non-negative whole numbers", "[values]") {
  CHECK(Yen::parse("0")->amount() == 0);
  CHECK(Yen::parse("123456")->amount() == 123456);
  CHECK_FALSE(Yen::parse("-1").ok());
  CHECK(Yen::parse("-1").error().message().find("negative") != std::string::npos);
  CHECK_FALSE(Yen::parse("1.5").ok());
  CHECK_FALSE(Yen::make(-5).ok());
  CHECK_FALSE(Yen().has_value());
  CHECK(Count::parse("42")->value() == 42);
  CHECK_FALSE(Count::parse("4x").ok());
}

TEST_CASE("Codes are validated strings that keep leading zeros", "[values]") {
  auto code = InstitutionCode::parse("0112345678");
  REQUIRE(code.ok());
  CHECK(code->view() == "0112345678");
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
  CHECK(BranchNumber::parse("01")->view() == "01");
  CHECK(sizeof(InstitutionCode) == 16);
}

TEST_CASE("Coded answers carry their meaning and reject codes outside closed sets", "[values]") {
  Coded c(CodeSetId::metabolic_syndrome);
  REQUIRE(c.assign("2").ok());
  CHECK(c.meaning() == "予備群該当");
  CHECK_FALSE(c.assign("9").ok());
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
