// The retrieval state machine, shared by the stores (internal header). Each function applies
// one RetrievalStore operation to a record the caller holds under its lock and tells whether
// the record changed (so the caller writes it back and wakes waiters).
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myna/process/retrieval.hpp"

namespace myna::internal {

using SysClock = std::chrono::system_clock;

inline bool is_pending(RetrievalState state) noexcept {
  return state == RetrievalState::requested || state == RetrievalState::waiting;
}

inline Error unknown_retrieval() {
  return Error(ErrorCategory::validation, "no retrieval with this telegram id in the store");
}

inline Error duplicate_retrieval() {
  return Error(ErrorCategory::validation, "a retrieval with this telegram id already exists; use a new telegram id");
}

/// The record as create() stores it: state requested, timestamps set.
inline Result<Retrieval> as_created(Retrieval r, SysClock::time_point now) {
  if (r.telegram_id.empty()) return Error(ErrorCategory::validation, "the retrieval has no telegram id");
  r.state = RetrievalState::requested;
  if (r.created_at == SysClock::time_point()) r.created_at = now;
  r.updated_at = now;
  return r;
}

/// The first provisional notification that carried process_id, or null.
inline const ProvisionalNotification* provisional_for(const Retrieval& r, const std::string& process_id) {
  for (const ProvisionalNotification& p : r.provisional)
    if (p.process_id == process_id) return &p;
  return nullptr;
}

/// set_process_id: the service's response confirms the processId. requested → waiting, or →
/// notified when a provisional notification carried it; the same processId again is a no-op.
inline Status apply_process_id(Retrieval& r, const std::string& process_id, SysClock::time_point now, bool& changed) {
  changed = false;
  if (process_id.empty()) return Error(ErrorCategory::validation, "the processId is empty");
  if (!r.process_id.empty() && r.process_id != process_id)
    return Error(ErrorCategory::protocol,
                 "the service gave a different processId for this telegram id than the one already recorded");
  if (r.process_id.empty()) {
    r.process_id = process_id;
    changed = true;
  }
  if (r.state == RetrievalState::requested) {
    const ProvisionalNotification* early = provisional_for(r, process_id);
    r.state = early ? RetrievalState::notified : RetrievalState::waiting;
    if (early) r.error_code = early->error_code;
    changed = true;
  }
  if (!r.provisional.empty()) {
    r.provisional.clear();
    changed = true;
  }
  if (changed) r.updated_at = now;
  return {};
}

/// Visible ASCII only (no spaces or control characters), at most kMaxProvisionalIdBytes: what
/// a provisional notification must look like to be kept (and its stored form relies on it).
inline bool keepable_id(const std::string& id) {
  return id.size() <= kMaxProvisionalIdBytes &&
         std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

/// A notification before the processId is confirmed: kept (the first per processId, bounded)
/// while the request is in flight, never changing state, processId or errorCode.
inline void record_provisional(Retrieval& r, const std::string& process_id, const std::string& error_code,
                               bool& changed) {
  if (r.state != RetrievalState::requested || r.provisional.size() >= kMaxProvisionalNotifications ||
      !keepable_id(process_id) || !keepable_id(error_code) || provisional_for(r, process_id))
    return;
  r.provisional.push_back({process_id, error_code});
  changed = true;
}

/// mark_notified: with a confirmed processId, requested/waiting → notified; duplicates keep
/// their state; mismatches and failed/timed-out retrievals → nullopt. Before the processId is
/// confirmed the notification is only recorded as provisional (→ nullopt).
inline std::optional<RetrievalState> apply_notified(Retrieval& r, const std::string& process_id,
                                                    const std::string& error_code, SysClock::time_point now,
                                                    bool& changed) {
  changed = false;
  if (process_id.empty()) return std::nullopt;
  if (r.process_id.empty()) {
    record_provisional(r, process_id, error_code, changed);
    return std::nullopt;
  }
  if (r.process_id != process_id) return std::nullopt;
  switch (r.state) {
    case RetrievalState::requested:
    case RetrievalState::waiting:
      r.state = RetrievalState::notified;
      r.error_code = error_code;
      r.updated_at = now;
      changed = true;
      return r.state;
    case RetrievalState::notified:
    case RetrievalState::fetching:
    case RetrievalState::fetched: return r.state;
    case RetrievalState::failed:
    case RetrievalState::timed_out: break;
  }
  return std::nullopt;
}

/// Stored form of the provisional notifications (file and PostgreSQL stores): one line per
/// notification, "processId errorCode\n"; keepable_id() guarantees neither has a space or a
/// line break.
inline std::string encode_provisional(const std::vector<ProvisionalNotification>& provisional) {
  std::string out;
  for (const ProvisionalNotification& p : provisional) out += p.process_id + ' ' + p.error_code + '\n';
  return out;
}

/// Reads encode_provisional()'s form; false when it is not that form.
inline bool decode_provisional(std::string_view text, std::vector<ProvisionalNotification>& out) {
  out.clear();
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto space = text.substr(0, end).find(' ');
    if (end == std::string_view::npos || space == std::string_view::npos) return false;
    out.push_back({std::string(text.substr(0, space)), std::string(text.substr(space + 1, end - space - 1))});
    if (!keepable_id(out.back().process_id) || out.back().process_id.empty() || !keepable_id(out.back().error_code) ||
        out.size() > kMaxProvisionalNotifications)
      return false;
    text.remove_prefix(end + 1);
  }
  return true;
}

/// claim_fetch: notified → fetching for one owner; a fetching claim older than stale_after
/// is taken over.
inline bool apply_claim(Retrieval& r, const std::string& owner, std::chrono::seconds stale_after,
                        SysClock::time_point now) {
  const bool stale = r.state == RetrievalState::fetching && now - r.updated_at >= stale_after;
  if (r.state != RetrievalState::notified && !stale) return false;
  r.state = RetrievalState::fetching;
  r.owner = owner;
  r.updated_at = now;
  return true;
}

/// finish: any state → a final state; finishing again with the same state is a no-op.
inline Status apply_finish(Retrieval& r, RetrievalState state, SysClock::time_point now, bool& changed) {
  changed = false;
  if (!is_final(state))
    return Error(ErrorCategory::validation, std::string("finish() needs a final state, not ") + to_string(state));
  if (r.state == state) return {};
  if (is_final(r.state))
    return Error(ErrorCategory::validation, std::string("the retrieval already ended as ") + to_string(r.state));
  r.state = state;
  r.updated_at = now;
  changed = true;
  return {};
}

/// Purge rule: final and last changed at least older_than ago.
inline bool purgeable(const Retrieval& r, std::chrono::seconds older_than, SysClock::time_point now) {
  return is_final(r.state) && r.updated_at <= now - older_than;
}

/// unfinished() order: oldest first.
inline void sort_by_creation(std::vector<Retrieval>& records) {
  std::sort(records.begin(), records.end(), [](const Retrieval& a, const Retrieval& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.telegram_id < b.telegram_id;
  });
}

inline Error wait_cancelled() {
  return Error(ErrorCategory::cancelled, "waiting for the completion notification was cancelled");
}

}  // namespace myna::internal
