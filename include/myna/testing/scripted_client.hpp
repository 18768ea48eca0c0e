// Testing kit for applications (header-only, no test framework needed): a Client double.
// Write the application against `myna::Client&`; in its tests, hand it a ScriptedClient that
// says, per citizen and record type, what each fetch returns — records, a typed error,
// consent_required, maintenance with a retry time — and check the calls it received. No HTTP,
// no sandbox, no tokens. batch() works on it as on the real client (it runs on fetch()).
//
//   myna::testing::ScriptedClient client;
//   client.returns<myna::DrugRecord>("user-42", {drug})
//         .maintenance("user-7", myna::RecordType::drug, std::chrono::system_clock::now() + 1h);
//   my_app_function(client);                         // takes myna::Client&
//   assert(client.calls().size() == 2);
//
// Consent per information type: grant(citizen, types) sets what the citizen's grant covers;
// a fetch of another type is refused with consent_required before any telegram.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "myna/client/client.hpp"

namespace myna::testing {

/// Thread-safe: scripting, fetching (batch workers fetch at once) and reading the calls may
/// happen from several threads.
class ScriptedClient : public Client {
 public:
  /// One call the double received.
  struct Call {
    std::string
        operation;  ///< "fetch", "fetch_stream", "granted_types" (has_grant), "begin_consent" or "complete_consent"
    std::string citizen;             ///< "" for begin_consent
    std::optional<RecordType> type;  ///< set for fetch and fetch_stream
    Date from, to;                   ///< the query's range, for fetch and fetch_stream
  };

  explicit ScriptedClient(Profile profile = Profile())
      : profile_(std::move(profile)), notifications_(profile_, make_memory_retrieval_store()) {}

  // ---- scripting ------------------------------------------------------------------------
  // Each call appends one outcome for (citizen, type). Fetches take the outcomes in order;
  // the last one repeats. A (citizen, type) with nothing scripted fails with
  // consent_required, as the real client does for a citizen without a grant.

  /// The next fetch returns these records (their issues count into the RetrievalInfo).
  template <class R>
  ScriptedClient& returns(const std::string& citizen, std::vector<R> records) {
    return script(citizen, RecordTraits<R>::type, Outcome(std::move(records)));
  }
  /// The next fetch fails with this error (any category: network, decode, timeout, …).
  ScriptedClient& fails(const std::string& citizen, RecordType type, Error error) {
    return script(citizen, type, Outcome(std::move(error)));
  }
  /// The next fetch fails with consent_required (the grant ended: ask the citizen again).
  ScriptedClient& consent_required(const std::string& citizen, RecordType type) {
    return fails(citizen, type,
                 Error(ErrorCategory::consent_required, "consent needed again: no grant for this citizen (scripted)"));
  }
  /// The next fetch fails with maintenance, to be tried again at retry_after.
  ScriptedClient& maintenance(const std::string& citizen, RecordType type,
                              std::chrono::system_clock::time_point retry_after) {
    Error error(ErrorCategory::maintenance, "the service is in a maintenance stop (計画停止) (scripted)");
    return fails(citizen, type, std::move(error).with_http_status(503).with_retry_after(retry_after));
  }
  /// The information types the citizen's grant covers (granted_types(), has_grant()); an
  /// empty set: no grant. Once set, a fetch of a type outside it fails with consent_required
  /// naming the type, before any telegram (no telegram id, no request attempt), as the real
  /// client does. Unset: the types with a scripted outcome other than consent_required.
  /// complete_consent() sets the types the request asked for.
  ScriptedClient& grant(const std::string& citizen, RecordTypes types = RecordTypes::all()) {
    std::lock_guard<std::mutex> lock(mu_);
    grants_[citizen] = types;
    return *this;
  }
  /// complete_consent() for the citizen fails with this error (refused, certificate_expired,
  /// not_registered, auth, …) and grants nothing.
  ScriptedClient& consent_fails(const std::string& citizen, Error error) {
    std::lock_guard<std::mutex> lock(mu_);
    consent_errors_.insert_or_assign(citizen, std::move(error));
    return *this;
  }
  /// complete_consent() for the citizen fails with not_registered (no Mynaportal account yet).
  ScriptedClient& not_registered(const std::string& citizen) {
    return consent_fails(citizen, Error(ErrorCategory::not_registered,
                                        "the citizen has no Mynaportal account yet: they register at Mynaportal "
                                        "(利用者登録), then consent again (scripted)")
                                      .with_service_code("not_registered"));
  }

  // ---- observing ------------------------------------------------------------------------
  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  /// Fetches (and streams) received for the citizen and type.
  std::size_t fetches(const std::string& citizen, RecordType type) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::size_t n = 0;
    for (const Call& c : calls_) n += c.type == type && c.citizen == citizen;
    return n;
  }

  // ---- Client ---------------------------------------------------------------------------
  const Profile& profile() const noexcept override { return profile_; }
  const NotificationHandler& notification_handler() const noexcept override { return notifications_; }

  Result<RecordTypes> granted_types(const std::string& citizen) override {
    note({"granted_types", citizen, std::nullopt, {}, {}});
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = grants_.find(citizen); it != grants_.end()) return it->second;
    RecordTypes types;
    for (const auto& [key, script] : scripts_) {
      if (key.first != citizen) continue;
      for (const Outcome& o : script.outcomes) {
        const Error* e = std::get_if<Error>(&o);
        if (!e || e->category() != ErrorCategory::consent_required) types.add(key.second);
      }
    }
    return types;
  }

 protected:
  Result<ConsentRequest> do_begin_consent(RecordTypes types) const override {
    note({"begin_consent", "", std::nullopt, {}, {}});
    if (types.empty()) return Error(ErrorCategory::validation, "a consent asks for at least one information type");
    ConsentRequest request;
    request.url = profile_.authorize_base_url + profile_.authorize_path + "?scripted=1";
    request.state = SecretString("scripted-state");
    request.types = types;
    return request;
  }
  Status do_complete_consent(const std::string& citizen, std::string_view, const ConsentRequest& request,
                             const Context&) override {
    note({"complete_consent", citizen, std::nullopt, {}, {}});
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = consent_errors_.find(citizen); it != consent_errors_.end()) return it->second;
    }
    grant(citizen, request.types);
    return {};
  }

  Result<Fetched<DrugRecord>> do_fetch_drugs(const std::string& c, const Query& q, const Context& x) override {
    return collect<DrugRecord>(c, q, x);
  }
  Result<Fetched<CheckupRecord>> do_fetch_checkups(const std::string& c, const Query& q, const Context& x) override {
    return collect<CheckupRecord>(c, q, x);
  }
  Result<Fetched<MedicalExpenseRecord>> do_fetch_expenses(const std::string& c, const Query& q,
                                                          const Context& x) override {
    return collect<MedicalExpenseRecord>(c, q, x);
  }
  Result<RetrievalInfo> do_stream_drugs(const std::string& c, const Query& q, const RecordCallback<DrugRecord>& f,
                                        const Context& x) override {
    return stream<DrugRecord>(c, q, f, x);
  }
  Result<RetrievalInfo> do_stream_checkups(const std::string& c, const Query& q, const RecordCallback<CheckupRecord>& f,
                                           const Context& x) override {
    return stream<CheckupRecord>(c, q, f, x);
  }
  Result<RetrievalInfo> do_stream_expenses(const std::string& c, const Query& q,
                                           const RecordCallback<MedicalExpenseRecord>& f, const Context& x) override {
    return stream<MedicalExpenseRecord>(c, q, f, x);
  }

 private:
  using Outcome =
      std::variant<std::vector<DrugRecord>, std::vector<CheckupRecord>, std::vector<MedicalExpenseRecord>, Error>;
  struct Script {
    std::vector<Outcome> outcomes;
    std::size_t next = 0;
  };

  ScriptedClient& script(const std::string& citizen, RecordType type, Outcome outcome) {
    std::lock_guard<std::mutex> lock(mu_);
    scripts_[{citizen, type}].outcomes.push_back(std::move(outcome));
    return *this;
  }

  void note(Call call) const {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(std::move(call));
  }

  // The next outcome for (citizen, type), with the audit facts a real retrieval would have.
  Outcome take(const std::string& citizen, const Query& query, const char* operation, RetrievalInfo& info) {
    note({operation, citizen, query.type(), query.from(), query.to()});
    std::lock_guard<std::mutex> lock(mu_);
    char id[32];
    std::snprintf(id, sizeof id, "%06llu", static_cast<unsigned long long>(++sequence_));
    info.citizen = citizen;
    info.type = query.type();
    info.from = query.from();
    info.to = query.to();
    info.requested_at = std::chrono::system_clock::now();
    info.instance_name = "scripted";
    if (auto g = grants_.find(citizen); g != grants_.end() && !g->second.contains(query.type())) {
      const std::string name(japanese_name(query.type()));
      return Error(ErrorCategory::consent_required,
                   "consent needed for " + name + ": this citizen's consent does not cover it (scripted)");
    }
    info.telegram_id = std::string("TL-SCRIPTED-") + id;
    info.process_id = std::string("PR-SCRIPTED-") + id;
    info.request_attempts = 1;
    auto it = scripts_.find({citizen, query.type()});
    if (it == scripts_.end() || it->second.outcomes.empty())
      return Error(ErrorCategory::consent_required,
                   "consent needed again: no grant for this citizen (nothing scripted)");
    Script& s = it->second;
    const Outcome& o = s.outcomes[std::min(s.next, s.outcomes.size() - 1)];
    if (s.next < s.outcomes.size()) ++s.next;
    if (!std::holds_alternative<Error>(o)) {
      info.notified = true;
      info.notified_at = info.fetched_at = info.requested_at;
      info.result_attempts = 1;
    }
    return o;
  }

  static Error with_info(Error error, const RetrievalInfo& info) {
    return std::move(error).with_retrieval(std::make_shared<const RetrievalInfo>(info));
  }

  template <class R>
  Result<Fetched<R>> collect(const std::string& citizen, const Query& query, const Context& context) {
    Fetched<R> fetched;
    if (context.cancelled())
      return with_info(Error(ErrorCategory::cancelled, "the retrieval was cancelled"), fetched.info);
    Outcome o = take(citizen, query, "fetch", fetched.info);
    if (Error* e = std::get_if<Error>(&o)) return with_info(std::move(*e), fetched.info);
    if (auto* records = std::get_if<std::vector<R>>(&o)) fetched.records = std::move(*records);
    fetched.info.records = fetched.records.size();
    for (const R& r : fetched.records) fetched.info.issues.add(r.issues);
    return fetched;
  }

  template <class R>
  Result<RetrievalInfo> stream(const std::string& citizen, const Query& query, const RecordCallback<R>& on_record,
                               const Context& context) {
    RetrievalInfo info;
    if (context.cancelled()) return with_info(Error(ErrorCategory::cancelled, "the retrieval was cancelled"), info);
    Outcome o = take(citizen, query, "fetch_stream", info);
    if (Error* e = std::get_if<Error>(&o)) return with_info(std::move(*e), info);
    if (auto* records = std::get_if<std::vector<R>>(&o)) {
      for (R& r : *records) {
        ++info.records;
        info.issues.add(r.issues);
        if (Status st = on_record(std::move(r)); !st) return with_info(std::move(st).error(), info);
      }
    }
    return info;
  }

  Profile profile_;
  NotificationHandler notifications_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, RecordType>, Script> scripts_;
  std::map<std::string, RecordTypes> grants_;
  std::map<std::string, Error> consent_errors_;
  mutable std::vector<Call> calls_;
  std::uint64_t sequence_ = 0;
};

}  // namespace myna::testing
