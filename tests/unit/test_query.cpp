#include <catch2/catch.hpp>

#include "internal/query_filter.hpp"
#include "myna/query/query.hpp"

using namespace myna;

TEST_CASE("query builders validate the 照会年月日 range when built", "[query]") {
  auto q = drug_query().from("2024-01-01").to("2024-03-31").build();
  REQUIRE(q.ok());
  CHECK(q->type() == RecordType::drug);
  CHECK(q->from().to_string() == "2024-01-01");

  auto reversed = checkup_query().from("20240301").to("20240101").build();
  REQUIRE_FALSE(reversed.ok());
  CHECK(reversed.error().category() == ErrorCategory::validation);
  CHECK(reversed.error().message().find("before") != std::string::npos);

  auto impossible = expense_query().from("20240230").to("20240301").build();
  REQUIRE_FALSE(impossible.ok());
  CHECK(impossible.error().message().find("絞り込み開始日") != std::string::npos);

  auto missing = drug_query().from("20240101").build();
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message().find("絞り込み終了日") != std::string::npos);
  CHECK(missing.error().message().find("missing") != std::string::npos);

  CHECK_FALSE(drug_query().to("20240101").build().ok());
  CHECK(make_query(RecordType::drug, "20240101", "20240101").ok());  // one day is a range
}

TEST_CASE("drugs and expenses match on 診療年月, checkups on 実施年月日 (tables 2.6-1..3)", "[query]") {
  auto q = make_query(RecordType::drug, "20240115", "20240310").value();
  CHECK(q.matches_month(YearMonth::parse("202401").value()));  // month overlaps the range
  CHECK(q.matches_month(YearMonth::parse("202403").value()));
  CHECK_FALSE(q.matches_month(YearMonth::parse("202312").value()));
  CHECK_FALSE(q.matches_month(YearMonth::parse("202404").value()));
  CHECK_FALSE(q.matches_month(YearMonth()));

  DrugRecord drug;
  drug.treatment_month = YearMonth::parse("202402").value();
  CHECK(q.matches(drug));
  MedicalExpenseRecord expense;
  expense.treatment_month = YearMonth::parse("202404").value();
  CHECK_FALSE(q.matches(expense));

  auto cq = make_query(RecordType::checkup, "20240115", "20240310").value();
  CheckupRecord checkup;
  checkup.visit.checkup_date = Date::parse("20240114").value();
  CHECK_FALSE(cq.matches(checkup));
  checkup.visit.checkup_date = Date::parse("20240310").value();
  CHECK(cq.matches(checkup));
}

TEST_CASE("the filter string follows the profile and parses back", "[query]") {
  Profile profile;
  auto q = make_query(RecordType::checkup, "20240101", "20241231").value();
  CHECK(q.to_filter(profile) == "InfoType=2&Date=20240101-20241231");
  auto back = internal::query_from_filter(profile, q.to_filter(profile));
  REQUIRE(back.ok());
  CHECK(*back == q);
  // Bounds given as YYYY-MM-DD are sent as YYYYMMDD (the date remembers its form; the filter does not).
  CHECK(make_query(RecordType::checkup, "2024-01-01", "2024-12-31").value().to_filter(profile) ==
        "InfoType=2&Date=20240101-20241231");
  profile.filter_template = "Date={from}:{to};Kind={type}";
  CHECK(q.to_filter(profile) == "Date=20240101:20241231;Kind=2");
  CHECK(internal::query_from_filter(profile, "Date=20240101:20241231;Kind=2").value() == q);
  CHECK_FALSE(internal::query_from_filter(profile, "Date=20240101:20241231;Kind=7").ok());
  CHECK_FALSE(internal::query_from_filter(profile, "Date=20241231:20240101;Kind=2").ok());
  CHECK_FALSE(internal::query_from_filter(profile, "garbage").ok());
}
