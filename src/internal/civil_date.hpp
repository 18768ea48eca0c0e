// Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's
// public-domain days_from_civil / civil_from_days, UTC instants as text (portable: no
// gmtime_r, which Windows lacks) and the compact form of a Date. Internal header.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "myna/records/values.hpp"

namespace myna::internal {

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

inline std::int64_t days_from_civil(CivilDate date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (date.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

inline unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

/// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
inline unsigned weekday(std::int64_t days) { return static_cast<unsigned>((days % 7 + 7 + 4) % 7); }

/// The date as "YYYYMMDD" whatever form it was received in ("2024-01-15" too): the form of
/// filters and of stored bounds. "" unless the date is valid.
inline std::string compact_date(const Date& date) {
  if (!date.has_value()) return {};
  char text[16];
  std::snprintf(text, sizeof text, "%08u", static_cast<unsigned>(date.yyyymmdd()));
  return text;
}

/// "2026-01-15T09:30:00Z": the UTC instant seconds_since_epoch seconds after 1970-01-01.
inline std::string utc_instant_text(std::int64_t seconds_since_epoch) {
  const std::int64_t days = (seconds_since_epoch >= 0 ? seconds_since_epoch : seconds_since_epoch - 86399) / 86400;
  const std::int64_t second_of_day = seconds_since_epoch - days * 86400;
  const CivilDate date = civil_from_days(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(date.year), date.month,
                date.day, static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  return buf;
}

}  // namespace myna::internal
