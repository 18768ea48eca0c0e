// Completion-notification handler against an in-memory store holding retrievals in every
// state. The input is up to four notification bodies separated by 0xFF bytes, handled in
// order. Properties: no crash; statuses 200/400/404/409; only a notification carrying the
// confirmed processId of a retrieval that is pending (or already notified: a duplicate) is
// accepted, and only that retrieval changes; one before the processId is confirmed changes
// nothing visible; 409 only with the confirmed processId of a retrieval that ended; the reply
// is a well-formed echo; log lines are single, bounded lines.
#include <map>

#include "fuzz.hpp"
#include "myna/codec/envelope.hpp"
#include "myna/process/notification_handler.hpp"

namespace {

using namespace myna;

struct Seed {
  const char* telegram_id;
  const char* process_id;  // "" = the request response has not come yet
  RetrievalState state;
};

// Telegram ids and process ids the seed corpus uses too (fuzz/make_seeds.cpp).
constexpr Seed kSeeds[] = {
    {"TL-00000086-260101093000-0001", "", RetrievalState::requested},
    {"TL-00000086-260101093000-0002", "P-0002", RetrievalState::waiting},
    {"TL-00000086-260101093000-0003", "P-0003", RetrievalState::notified},
    {"TL-00000086-260101093000-0004", "P-0004", RetrievalState::fetching},
    {"TL-00000086-260101093000-0005", "P-0005", RetrievalState::fetched},
    {"TL-00000086-260101093000-0006", "P-0006", RetrievalState::failed},
    {"TL-00000086-260101093000-0007", "P-0007", RetrievalState::timed_out},
};

void must(const Status& st) {
  if (!st) fuzz::fail("setting up the store failed", st.error());
}

void put(RetrievalStore& store, const Seed& seed) {
  Retrieval r;
  r.telegram_id = seed.telegram_id;
  r.citizen = "citizen";
  must(store.create(r));
  if (seed.state == RetrievalState::requested) return;
  must(store.set_process_id(r.telegram_id, seed.process_id));
  if (seed.state == RetrievalState::failed || seed.state == RetrievalState::timed_out)
    return must(store.finish(r.telegram_id, seed.state));
  if (seed.state == RetrievalState::waiting) return;
  if (!store.mark_notified(r.telegram_id, seed.process_id, "").value()) fuzz::fail("mark_notified refused");
  if (seed.state == RetrievalState::notified) return;
  if (!store.claim_fetch(r.telegram_id, "owner", std::chrono::seconds(600)).value()) fuzz::fail("claim refused");
  if (seed.state == RetrievalState::fetched) must(store.finish(r.telegram_id, seed.state));
}

using Snapshot = std::map<std::string, Retrieval>;

Snapshot snapshot(RetrievalStore& store) {
  Snapshot out;
  for (const Seed& seed : kSeeds) out[seed.telegram_id] = store.find(seed.telegram_id).value().value();
  return out;
}

bool same(const Retrieval& a, const Retrieval& b) {
  return a.state == b.state && a.process_id == b.process_id && a.error_code == b.error_code;
}

bool pending(RetrievalState s) { return s == RetrievalState::requested || s == RetrievalState::waiting; }

bool ended_early(const Retrieval& r) {
  return r.state == RetrievalState::failed || r.state == RetrievalState::timed_out;
}

bool confirmed_match(const Retrieval& r, const CommonHeader& h) {
  return !r.process_id.empty() && r.process_id == h.process_id;
}

bool accepts(const Retrieval& r, const CommonHeader& h) { return confirmed_match(r, h) && !ended_early(r); }

// Not accepted: 400 for what is not a notification, 409 only with the confirmed processId of a
// retrieval that ended, else the one 404 (unknown, mismatching or unconfirmed ids alike).
void check_refusal(const NotificationReply& reply, const Snapshot& before, const CommonHeader* h) {
  if (reply.accepted || reply.http_status == 400) return;
  const auto it = h ? before.find(h->telegram_id) : before.end();
  const bool late = it != before.end() && confirmed_match(it->second, *h) && ended_early(it->second);
  if (reply.http_status != (late ? 409 : 404)) fuzz::fail(late ? "a late notification is not 409" : "not the one 404");
}

void check_reply(const NotificationReply& reply, const Profile& profile) {
  const int s = reply.http_status;
  if (s != 200 && s != 400 && s != 404 && s != 409) fuzz::fail("unexpected status " + std::to_string(s));
  if (reply.accepted != (s == 200)) fuzz::fail("accepted does not match the status");
  auto echo = codec::decode_header(reply.body, profile);
  if (!echo) fuzz::fail("the reply does not decode", echo.error());
  if (echo->telegram_type != profile.notification_reply_type) fuzz::fail("the reply has the wrong type");
}

// The store after one notification: only the matching retrieval may change, and only from
// pending to notified, keeping the notification's processId and errorCode.
void check_store(const Snapshot& before, const Snapshot& after, const CommonHeader* h, bool accepted,
                 const Profile& profile) {
  for (const auto& [id, old] : before) {
    const Retrieval& now = after.at(id);
    const bool target = h && h->telegram_id == id;
    if (target && accepted != accepts(old, *h)) fuzz::fail(accepted ? "accepted wrongly" : "refused wrongly");
    if (same(old, now)) continue;
    if (!target || !accepted || !pending(old.state)) fuzz::fail("a retrieval changed that must not");
    const std::string code = h->error_code == profile.success_code ? "" : h->error_code;
    if (now.state != RetrievalState::notified || now.process_id != h->process_id || now.error_code != code)
      fuzz::fail("the notified retrieval holds the wrong state");
  }
  if (accepted && (!h || !before.count(h->telegram_id))) fuzz::fail("accepted an unknown telegramId");
}

}  // namespace

MYNA_FUZZ_TARGET(notification) {
  static const Profile profile;
  auto store = make_memory_retrieval_store();
  for (const Seed& seed : kSeeds) put(*store, seed);
  const Logger logger(
      [](LogLevel, std::string_view line) {
        if (line.size() > 400) fuzz::fail("a log line is too long");
        for (char c : line)
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) fuzz::fail("a log line has a control character");
      },
      LogLevel::trace);
  const NotificationHandler handler(profile, store, logger);

  std::string_view rest = input;
  for (int i = 0; i < 4 && (i == 0 || !rest.empty()); ++i) {
    const std::string_view body = rest.substr(0, rest.find('\xff'));
    rest.remove_prefix(std::min(rest.size(), body.size() + 1));
    const Snapshot before = snapshot(*store);
    const NotificationReply reply = handler.handle(body);
    check_reply(reply, profile);
    const auto h = codec::decode_header(body, profile);
    const bool typed = h && h->telegram_type == profile.notification_type;
    check_store(before, snapshot(*store), typed ? &*h : nullptr, reply.accepted, profile);
    if (typed) check_refusal(reply, before, &*h);
  }
}
