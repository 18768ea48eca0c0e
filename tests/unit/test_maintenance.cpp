#include <catch2/catch.hpp>

#include "internal/civil_date.hpp"
#include "myna/transport/maintenance.hpp"

using namespace myna;
using SysClock = std::chrono::system_clock;

namespace {

SysClock::time_point utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  const std::int64_t days = internal::days_from_civil({y, mo, d});
  return SysClock::time_point(std::chrono::seconds(days * 86400 + h * 3600 + mi * 60 + s));
}

SysClock::time_point jst(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return utc(y, mo, d, h, mi, s) - std::chrono::hours(9);
}

const std::string kIntermediate = "医療保険者向け中間サーバ";
const std::string kNetwork = "情報提供ネットワークシステム";

}  // namespace

TEST_CASE("医療保険者向け中間サーバ stops daily 03:00–06:00 JST", "[maintenance]") {
  CHECK(jst(2026, 1, 14, 3, 0, 0) == utc(2026, 1, 13, 18, 0, 0));  // JST is UTC+9

  CHECK_FALSE(stop_window_at(jst(2026, 1, 14, 2, 59, 59)));
  auto at_start = stop_window_at(jst(2026, 1, 14, 3, 0, 0));
  REQUIRE(at_start);
  CHECK(at_start->system == kIntermediate);
  CHECK(at_start->start == jst(2026, 1, 14, 3, 0, 0));
  CHECK(at_start->end == jst(2026, 1, 14, 6, 0, 0));
  auto at_end = stop_window_at(jst(2026, 1, 14, 5, 59, 59));
  REQUIRE(at_end);
  CHECK(at_end->system == kIntermediate);
  CHECK_FALSE(stop_window_at(jst(2026, 1, 14, 6, 0, 0)));

  CHECK(next_available(jst(2026, 1, 14, 4, 30, 0)) == jst(2026, 1, 14, 6, 0, 0));
  CHECK(next_available(jst(2026, 1, 14, 6, 0, 0)) == jst(2026, 1, 14, 6, 0, 0));
  CHECK(next_available(jst(2026, 1, 14, 12, 0, 0)) == jst(2026, 1, 14, 12, 0, 0));
}

TEST_CASE("情報提供ネットワークシステム stops on the third Saturday and Sunday of a month", "[maintenance]") {
  // January 2026 starts on a Thursday: Saturdays 3, 10, 17, 24.
  CHECK_FALSE(stop_window_at(jst(2026, 1, 16, 23, 59, 59)));
  auto saturday = stop_window_at(jst(2026, 1, 17, 0, 0, 0));
  REQUIRE(saturday);
  CHECK(saturday->system == kNetwork);
  CHECK(saturday->start == jst(2026, 1, 17, 0, 0, 0));
  CHECK(saturday->end == jst(2026, 1, 19, 0, 0, 0));
  auto sunday = stop_window_at(jst(2026, 1, 18, 23, 59, 59));
  REQUIRE(sunday);
  CHECK(sunday->system == kNetwork);
  CHECK_FALSE(stop_window_at(jst(2026, 1, 19, 0, 0, 0)));

  for (unsigned day : {10u, 11u, 24u, 25u}) {  // second and fourth weekends
    INFO("January " << day);
    CHECK_FALSE(stop_window_at(jst(2026, 1, day, 12, 0, 0)));
  }
  // Overlap with the daily stop: the window ending last wins.
  auto overlap = stop_window_at(jst(2026, 1, 17, 4, 0, 0));
  REQUIRE(overlap);
  CHECK(overlap->system == kNetwork);
  CHECK(next_available(jst(2026, 1, 17, 4, 0, 0)) == jst(2026, 1, 19, 0, 0, 0));
}

TEST_CASE("the third weekend follows the third Saturday, whatever day the month starts on", "[maintenance]") {
  // November 2025 starts on a Saturday: the third Saturday is the 15th.
  CHECK(stop_window_at(jst(2025, 11, 15, 12, 0, 0)));
  CHECK(stop_window_at(jst(2025, 11, 16, 12, 0, 0)));
  CHECK_FALSE(stop_window_at(jst(2025, 11, 8, 12, 0, 0)));
  CHECK_FALSE(stop_window_at(jst(2025, 11, 22, 12, 0, 0)));
  // February 2026 starts on a Sunday: the third Saturday is the 21st, the 15th is not a stop.
  CHECK(stop_window_at(jst(2026, 2, 21, 12, 0, 0)));
  CHECK(stop_window_at(jst(2026, 2, 22, 12, 0, 0)));
  CHECK_FALSE(stop_window_at(jst(2026, 2, 15, 12, 0, 0)));
  CHECK_FALSE(stop_window_at(jst(2026, 2, 14, 12, 0, 0)));
  CHECK(next_available(jst(2026, 2, 22, 23, 0, 0)) == jst(2026, 2, 23, 0, 0, 0));
}
