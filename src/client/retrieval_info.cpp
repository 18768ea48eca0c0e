#include "myna/retrieval_info.hpp"

#include <cstdio>
#include <ctime>
#include <ostream>
#include <sstream>

namespace myna {
namespace {

using Clock = RetrievalInfo::Clock;

// "2026-01-15T09:30:00.123Z"
std::string utc_text(Clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(((ms % 1000) + 1000) % 1000));
  return out;
}

// "+0.210 s" after the request, or "(absent)".
std::string offset_text(const std::optional<Clock::time_point>& t, Clock::time_point from) {
  if (!t) return "(absent)";
  const double seconds = std::chrono::duration<double>(*t - from).count();
  char out[32];
  std::snprintf(out, sizeof out, "%+.3f s", seconds);
  return out;
}

std::string id_text(const std::string& id) { return id.empty() ? "(none)" : id; }

std::string date_text(const Date& d) { return d.has_value() ? d.to_string() : "(absent)"; }

}  // namespace

std::string to_string(const RetrievalInfo& info) {
  std::ostringstream out;
  out << "telegram " << id_text(info.telegram_id) << ", process " << id_text(info.process_id) << ", "
      << japanese_name(info.type) << " " << date_text(info.from) << ".." << date_text(info.to) << ", instance "
      << id_text(info.instance_name) << ": requested " << utc_text(info.requested_at) << ", notified "
      << offset_text(info.notified_at, info.requested_at) << (info.notified ? "" : " (no notification)") << ", fetched "
      << offset_text(info.fetched_at, info.requested_at) << "; attempts: request " << info.request_attempts
      << ", result " << info.result_attempts << "; " << info.bytes << " bytes, " << info.records
      << " records; issues: " << info.issues;
  return out.str();
}

std::ostream& operator<<(std::ostream& os, const RetrievalInfo& info) { return os << to_string(info); }

}  // namespace myna
