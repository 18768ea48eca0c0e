// The audit facts of one retrieval: which telegram, which process, whose data of which type
// and period, when it was requested, notified and fetched, how many attempts, bytes and
// records it took, and the issues its records carry. Every fetch returns one (with the
// records, or inside its Error), every batch outcome holds one, and the audit sink of
// ClientOptions receives one per retrieval. It never holds a record value or a secret.
// Plain data: const use from several threads is safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "myna/error.hpp"
#include "myna/export.hpp"
#include "myna/records/catalog.hpp"
#include "myna/records/issues.hpp"
#include "myna/records/values.hpp"

namespace myna {

/// What happened in one retrieval (request → notification → result) of one record type for
/// one citizen. Fields the retrieval never reached stay empty: no telegram id when it was
/// refused before one was assigned, no process id before the service accepted the request,
/// no notified_at without a notification, no fetched_at without a result response.
struct RetrievalInfo {
  using Clock = std::chrono::system_clock;

  std::string telegram_id;  ///< the request's telegramId ("" when refused before one was assigned)
  std::string process_id;   ///< the service's processId ("" when the request was not accepted)
  std::string citizen;      ///< the application's key for the citizen (never a service identifier)
  RecordType type = RecordType::drug;
  Date from, to;                   ///< the query's 照会年月日 range
  Clock::time_point requested_at;  ///< when the retrieval began (its request telegram was sent, or refused before)
  std::optional<Clock::time_point> notified_at;  ///< when the completion notification arrived; absent on the fallback
  std::optional<Clock::time_point> fetched_at;   ///< when the result response arrived; absent when none did
  int request_attempts = 0;                      ///< HTTP attempts of the request telegram (0: never sent)
  int result_attempts =
      0;  ///< HTTP attempts of the result telegram (re-asks after not-ready and corrupt bodies included)
  std::uint64_t bytes = 0;    ///< size of the result body the records came from
  std::size_t records = 0;    ///< records returned (streaming: handed to the callback)
  IssueCounts issues;         ///< the records' issues, summed per kind
  std::string instance_name;  ///< the instance that ran the retrieval (ClientOptions::instance_name)
  bool notified = false;      ///< the completion notification came (false: the fallback fetched once)
};

/// One line for people and logs: ids, type, range, timings, attempts, bytes, records and issue
/// counts per kind; absent times print as "(absent)", an empty id as "(none)". No record
/// value, no citizen key, no secret.
MYNA_API std::string to_string(const RetrievalInfo& info);
MYNA_API std::ostream& operator<<(std::ostream& os, const RetrievalInfo& info);

/// What the audit sink receives once per retrieval, success or failure.
struct AuditEvent {
  RetrievalInfo info;
  /// The category of the error that ended the retrieval; absent when it succeeded.
  std::optional<ErrorCategory> error;
  /// The error's message (what failed and what to do; never a record value or a secret);
  /// "" when it succeeded.
  std::string message;

  bool ok() const noexcept { return !error; }
};

/// Receives one AuditEvent per retrieval (each fetch, fetch_stream and batch citizen), after
/// the retrieval ended and before the fetch returns. Called from any thread and from several
/// at once (batch workers): it must be thread-safe. It should not throw; an exception it
/// throws is caught and logged as a warning.
using AuditSink = std::function<void(const AuditEvent& event)>;

}  // namespace myna
