#include "myna/transport/maintenance.hpp"

#include <cstdint>

#include "internal/civil_date.hpp"

namespace myna {
namespace {

using namespace internal;
using SysClock = std::chrono::system_clock;
using Days = std::chrono::duration<std::int64_t, std::ratio<86400>>;
constexpr std::chrono::hours kJstOffset{9};  // JST = UTC+9, no daylight saving

const char* const kIntermediateServer = "医療保険者向け中間サーバ";
const char* const kInformationNetwork = "情報提供ネットワークシステム";

// The JST calendar day (days since 1970-01-01) that contains t.
std::int64_t jst_day(SysClock::time_point t) {
  return std::chrono::floor<Days>(t.time_since_epoch() + kJstOffset).count();
}

// 00:00 JST of a JST calendar day, plus an offset.
SysClock::time_point jst_midnight(std::int64_t day, std::chrono::hours plus = std::chrono::hours(0)) {
  return SysClock::time_point(std::chrono::duration_cast<SysClock::duration>(Days(day) - kJstOffset + plus));
}

// 医療保険者向け中間サーバ: every day 03:00–06:00 JST.
std::optional<StopWindow> intermediate_server_window(SysClock::time_point t) {
  const std::int64_t day = jst_day(t);
  StopWindow w{kIntermediateServer, jst_midnight(day, std::chrono::hours(3)), jst_midnight(day, std::chrono::hours(6))};
  if (t >= w.start && t < w.end) return w;
  return std::nullopt;
}

// 情報提供ネットワークシステム: the third Saturday 00:00 JST to the following Monday 00:00 JST
// ("原則第3土日に計画停止").
std::optional<StopWindow> information_network_window(SysClock::time_point t) {
  const CivilDate today = civil_from_days(jst_day(t));
  const std::int64_t first = days_from_civil({today.year, today.month, 1});
  const std::int64_t first_saturday = first + (6 + 7 - weekday(first)) % 7;
  const std::int64_t third_saturday = first_saturday + 14;
  StopWindow w{kInformationNetwork, jst_midnight(third_saturday), jst_midnight(third_saturday + 2)};
  if (t >= w.start && t < w.end) return w;
  return std::nullopt;
}

}  // namespace

std::optional<StopWindow> stop_window_at(SysClock::time_point t) {
  std::optional<StopWindow> daily = intermediate_server_window(t);
  std::optional<StopWindow> weekend = information_network_window(t);
  if (daily && weekend) return daily->end >= weekend->end ? daily : weekend;
  return daily ? daily : weekend;
}

SysClock::time_point next_available(SysClock::time_point t) {
  // A window may end inside another one; follow them (a few steps at most).
  for (int step = 0; step < 8; ++step) {
    std::optional<StopWindow> window = stop_window_at(t);
    if (!window) break;
    t = window->end;
  }
  return t;
}

}  // namespace myna
