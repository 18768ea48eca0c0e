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
    std::string operation;            ///< "fetch", "fetch_stream", "has_grant", "begin_consent" or "complete_consent"
    std::string citizen;              ///< "" for begin_consent
    std::optional<RecordType> type;   ///< set for fetch and fetch_stream
    Date from, to;                    ///< the query's range, for fetch and fetch_stream
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
  /// What has_grant() answers for the citizen. Unset: true when the citizen has a scripted
  /// outcome other than consent_required, or completed consent here.
  ScriptedClient& grant(const std::string& citizen, bool granted = true) {
    std::lock_guard<std::mutex> lock(mu_);
    grants_[citizen] = granted;
    return *this;
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

  Result<ConsentRequest> begin_consent() const override {
    note({"begin_consent", "", std::nullopt, {}, {}});
    ConsentRequest request;
    request.url = profile_.authorize_base_url + profile_.authorize_path + "?scripted=1";
    request.state = SecretString("scripted-state");
    return request;
  }

  Result<bool> has_grant(const std::string& citizen) override {
    note({"has_grant", citizen, std::nullopt, {}, {}});
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = grants_.find(citizen); it != grants_.end()) return it->second;
    for (const auto& [key, script] : scripts_) {
      if (key.first != citizen) continue;
      for (const Outcome& o : script.outcomes) {
        const Error* e = std::get_if<Error>(&o);
        if (!e || e->category() != ErrorCategory::consent_required) return true;
      }
    }
    return false;
  }

 protected:
  Status do_complete_consent(const std::string& citizen, std::string_view, const ConsentRequest&,
                             const Context&) override {
    note({"complete_consent", citizen, std::nullopt, {}, {}});
    grant(citizen);
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
  Result<RetrievalInfo> do_stream_checkups(const std::string& c, const Query& q,
                                           const RecordCallback<CheckupRecord>& f, const Context& x) override {
    return stream<CheckupRecord>(c, q, f, x);
  }
  Result<RetrievalInfo> do_stream_expenses(const std::string& c, const Query& q,
                                           const RecordCallback<MedicalExpenseRecord>& f, const Context& x) override {
    return stream<MedicalExpenseRecord>(c, q, f, x);
  }

 private:
  using Outcome = std::variant<std::vector<DrugRecord>, std::vector<CheckupRecord>,
                               std::vector<MedicalExpenseRecord>, Error>;
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
    info.telegram_id = std::string("TL-SCRIPTED-") + id;
    info.process_id = std::string("PR-SCRIPTED-") + id;
    info.citizen = citizen;
    info.type = query.type();
    info.from = query.from();
    info.to = query.to();
    info.requested_at = std::chrono::system_clock::now();
    info.instance_name = "scripted";
    info.request_attempts = 1;
    auto it = scripts_.find({citizen, query.type()});
    if (it == scripts_.end() || it->second.outcomes.empty())
      return Error(ErrorCategory::consent_required, "consent needed again: no grant for this citizen (nothing scripted)");
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
    if (context.cancelled()) return with_info(Error(ErrorCategory::cancelled, "the retrieval was cancelled"), fetched.info);
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
  std::map<std::string, bool> grants_;
  mutable std::vector<Call> calls_;
  std::uint64_t sequence_ = 0;
};

}  // namespace myna::testing
