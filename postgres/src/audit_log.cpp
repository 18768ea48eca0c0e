#include "myna/postgres/audit_log.hpp"

#include <cstdio>
#include <ctime>

#include "internal/civil_date.hpp"
#include "pool.hpp"

namespace myna::pg {
namespace {

using internal::pg::Connection;
using internal::pg::Param;

constexpr const char* kInsert =
    "INSERT INTO myna_audit (telegram_id, process_id, citizen, record_type, from_date, to_date, requested_at,"
    " notified_at, fetched_at, notified, request_attempts, result_attempts, bytes, records, issues, instance_name,"
    " outcome, message)"
    " VALUES ($1, $2, $3, $4::smallint, to_date($5, 'YYYYMMDD'), to_date($6, 'YYYYMMDD'), $7::timestamptz,"
    " $8::timestamptz, $9::timestamptz, $10::boolean, $11::integer, $12::integer, $13::bigint, $14::bigint,"
    " $15::jsonb, $16, $17, $18)"
    " ON CONFLICT (telegram_id) WHERE telegram_id <> '' DO NOTHING";

// "2026-01-15 09:30:00.123456+00" (UTC, microseconds).
std::string timestamp(std::chrono::system_clock::time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const long long whole = us / 1000000 - (us % 1000000 < 0 ? 1 : 0);
  const long long fraction = ((us % 1000000) + 1000000) % 1000000;
  std::time_t seconds = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%06lld+00", date, fraction);
  return out;
}

Param optional_time(const std::optional<std::chrono::system_clock::time_point>& t) {
  return t ? Param::text(timestamp(*t)) : Param::null();
}

Param optional_date(const Date& d) { return d.has_value() ? Param::text(internal::compact_date(d)) : Param::null(); }

// {"unparsed_value": 2, "unknown_code": 1}: the kinds that occurred.
std::string issues_json(const IssueCounts& counts) {
  std::string out = "{";
  for (std::size_t k = 0; k < kIssueKindCount; ++k) {
    const auto kind = static_cast<IssueKind>(k);
    if (counts.count(kind) == 0) continue;
    if (out.size() > 1) out += ",";
    out += "\"" + std::string(to_string(kind)) + "\":" + std::to_string(counts.count(kind));
  }
  return out + "}";
}

std::vector<Param> row(const AuditEvent& e) {
  const RetrievalInfo& i = e.info;
  return {Param::text(i.telegram_id),
          i.process_id.empty() ? Param::null() : Param::text(i.process_id),
          Param::text(i.citizen),
          Param::integer(static_cast<int>(i.type)),
          optional_date(i.from),
          optional_date(i.to),
          Param::text(timestamp(i.requested_at)),
          optional_time(i.notified_at),
          optional_time(i.fetched_at),
          Param::text(i.notified ? "true" : "false"),
          Param::integer(i.request_attempts),
          Param::integer(i.result_attempts),
          Param::integer(static_cast<std::int64_t>(i.bytes)),
          Param::integer(static_cast<std::int64_t>(i.records)),
          Param::text(issues_json(i.issues)),
          Param::text(i.instance_name),
          Param::text(e.error ? to_string(*e.error) : "ok"),
          Param::text(e.message)};
}

Status write_event(Database& db, const AuditEvent& event) {
  if (event.info.citizen.find('\0') != std::string::npos || event.message.find('\0') != std::string::npos)
    return Error(ErrorCategory::validation, "an audit event holds a NUL character");
  const std::vector<Param> params = row(event);
  return db.impl().run("writing an audit event", [&](Connection& c) -> Status {
    auto done = c.exec("writing an audit event", kInsert, params);
    if (!done) return std::move(done).error();
    return {};
  });
}

}  // namespace

AuditLog::AuditLog(std::shared_ptr<Database> db) : db_(std::move(db)) {}
AuditLog::~AuditLog() = default;

Result<std::shared_ptr<AuditLog>> AuditLog::create(std::shared_ptr<Database> db) {
  if (!db) return Error(ErrorCategory::validation, "the audit log needs a database");
  return std::shared_ptr<AuditLog>(new AuditLog(std::move(db)));
}

Status AuditLog::write(const AuditEvent& event) { return write_event(*db_, event); }

AuditSink AuditLog::sink(Logger logger) {
  return [db = db_, logger = std::move(logger)](const AuditEvent& event) {
    if (Status st = write_event(*db, event); !st)
      logger.log(LogLevel::warn,
                 "audit event of telegram " + event.info.telegram_id + " not written: " + st.error().to_string());
  };
}

}  // namespace myna::pg
