// The request window, checked the same way on every RetrievalStore (memory and file:
// tests/unit; PostgreSQL: tests/scale). While the request telegram is in flight a retrieval has
// no processId; a notification then is provisional: it never changes the retrieval, and it
// counts only when the service's own request response confirms the same processId.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "myna/process/retrieval.hpp"
#include "unit/retrieval_fixtures.hpp"

namespace myna::test {

/// `first` and `second` may be two store objects on the same data (two instances).
inline void check_forged_notification_in_request_window(RetrievalStore& first, RetrievalStore& second,
                                                        const std::string& id) {
  REQUIRE(first.create(retrieval(id)).ok());
  CHECK_FALSE(second.mark_notified(id, "P-forged", "").value().has_value());
  CHECK_FALSE(second.mark_notified(id, "P-forged-2", "E0004").value().has_value());
  Retrieval r = first.find(id)->value();
  CHECK(r.state == RetrievalState::requested);
  CHECK(r.process_id.empty());
  CHECK(r.error_code.empty());
  // The service's response confirms its own processId: no protocol error, nothing notified.
  REQUIRE(first.set_process_id(id, "P-real").ok());
  r = first.find(id)->value();
  CHECK(r.state == RetrievalState::waiting);
  CHECK(r.process_id == "P-real");
  CHECK(r.error_code.empty());
  CHECK(r.provisional.empty());
  // After the confirmation the forged processIds stay refused; the genuine one is accepted.
  CHECK_FALSE(second.mark_notified(id, "P-forged", "").value().has_value());
  CHECK(second.mark_notified(id, "P-real", "").value() == RetrievalState::notified);
}

inline void check_genuine_notification_in_request_window(RetrievalStore& first, RetrievalStore& second,
                                                         const std::string& id) {
  REQUIRE(first.create(retrieval(id)).ok());
  CHECK_FALSE(second.mark_notified(id, "P-forged", "").value().has_value());
  CHECK_FALSE(second.mark_notified(id, "P-9", "E0006").value().has_value());  // genuine, but not confirmed yet
  CHECK_FALSE(second.mark_notified(id, "P-9", "").value().has_value());       // its duplicate: the first counts
  CHECK(state_of(first, id) == RetrievalState::requested);
  REQUIRE(first.set_process_id(id, "P-9").ok());  // the response arrives later and confirms it
  const Retrieval r = first.find(id)->value();
  CHECK(r.state == RetrievalState::notified);
  CHECK(r.process_id == "P-9");
  CHECK(r.error_code == "E0006");
  CHECK(r.provisional.empty());
  CHECK_FALSE(first.set_process_id(id, "P-other").ok());  // a second, different processId is a protocol error
}

/// A flood of provisional notifications is bounded, and the record stays readable; a
/// retrieval that ended before its processId was confirmed records nothing.
inline void check_provisional_notifications_are_bounded(RetrievalStore& store, const std::string& id,
                                                        const std::string& ended_id) {
  REQUIRE(store.create(retrieval(id)).ok());
  for (int i = 0; i < 200; ++i)
    CHECK_FALSE(store.mark_notified(id, "P-flood-" + std::to_string(i), "").value().has_value());
  CHECK_FALSE(store.mark_notified(id, std::string(100000, 'P'), "").value().has_value());  // too long to keep
  CHECK_FALSE(store.mark_notified(id, "P bad\nline", "").value().has_value());             // not a plain id
  CHECK_FALSE(store.mark_notified(id, "P-ok", std::string(10000, 'E')).value().has_value());
  Retrieval r = store.find(id)->value();
  CHECK(r.state == RetrievalState::requested);
  CHECK(r.provisional.size() <= kMaxProvisionalNotifications);
  for (const ProvisionalNotification& p : r.provisional) {
    CHECK(p.process_id.size() <= kMaxProvisionalIdBytes);
    CHECK(p.process_id.find_first_of(" \n") == std::string::npos);
    CHECK(p.error_code.size() <= kMaxProvisionalIdBytes);
  }
  REQUIRE(store.set_process_id(id, "P-real").ok());  // the genuine notification was crowded out
  CHECK(state_of(store, id) == RetrievalState::waiting);
  CHECK(store.find(id)->value().provisional.empty());

  REQUIRE(store.create(retrieval(ended_id)).ok());
  REQUIRE(store.finish(ended_id, RetrievalState::failed).ok());
  CHECK_FALSE(store.mark_notified(ended_id, "P-late", "").value().has_value());
  r = store.find(ended_id)->value();
  CHECK(r.state == RetrievalState::failed);
  CHECK(r.provisional.empty());
}

}  // namespace myna::test
