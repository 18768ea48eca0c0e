// The fault soak (CTest `soak`): many citizens through Client::batch against the sandbox with
// about 10 % of the telegram calls faulted and every fault the sandbox has in the mix. Every
// retrieval must end with the sandbox's ground truth (same records, same order) or with a
// typed error (see untyped_reason below and docs/security.md); no record lost or duplicated;
// every value served in a real-world variant (odd_values) back with its wire text and issues,
// and no other issue than the generated records' own (sandbox::code_issues);
// memory, file descriptors and threads back to their baseline after teardown.
//
// Size: MYNA_SOAK_CITIZENS (default 400, the CI size); scripts/soak runs 2,000.
// Seed of the fault decisions: MYNA_SOAK_SEED (default 7).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "e2e/process_usage.hpp"
#include "e2e/world.hpp"

using namespace myna;
using namespace std::chrono_literals;
using test::World;

namespace {

constexpr std::size_t kDefaultCitizens = 400;
constexpr std::size_t kBatchConcurrency = 8;  // per record type; three types run at once
constexpr double kCallFaultRate = 0.016;      // per fault kind and eligible call (see soak_faults)
constexpr double kNotificationFaultRate = 0.025;
constexpr auto kLateDelay = 1500ms;
constexpr double kOddValueRate = 0.05;  // records served with one value in a real-world variant
/// RSS may stay this much above the baseline after teardown: glibc keeps freed memory in its
/// per-thread arenas (up to 8 per core), about 1–2 MiB each here, even after malloc_trim.
/// Leaks are caught exactly by the heap-in-use figure (mallinfo2), which must return to within
/// kHeapSlackMiB of its baseline.
constexpr double kRssSlackMiB = 32.0;
constexpr double kHeapSlackMiB = 1.0;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

void figure(const char* name, double value, const char* unit) {
  std::printf("FIGURE %s %g %s\n", name, value, unit);
  std::fflush(stdout);
}

/// Every call fault at kCallFaultRate (and odd values in 5 % of the records): a request call (5 eligible kinds) is
/// faulted ~7.8 % of the time, a result call (7 kinds) ~10.7 %; measured over all calls about 10 % (printed as
/// soak_fault_rate). One process in ~10 gets a notification fault.
sandbox::Faults soak_faults(std::uint64_t seed) {
  sandbox::Faults f;
  f.http_500 = f.rate_limit_429 = f.maintenance_503 = f.drop_connection = kCallFaultRate;
  f.truncated_body = f.malformed_json = f.expired_token = kCallFaultRate;
  f.duplicate_notification = f.late_notification = kNotificationFaultRate;
  f.missing_notification = f.forged_notification = kNotificationFaultRate;
  f.odd_values = kOddValueRate;
  f.late_delay = kLateDelay;  // later than notification_timeout: the fallback has fetched already
  f.seed = seed;
  return f;
}

/// The client options the soak uses (documented in docs/security.md).
void tune(ClientOptions& o) {
  o.notification_timeout = 1s;  // a missing notification costs 1 s, then one result fetch
  o.retry.max_attempts = 6;     // at ~10 % faults, six failures in a row: ~1e-6 per call
  o.retry.initial_backoff = 50ms;
  o.retry.max_backoff = 1s;
  o.retry.max_retry_after = 5s;  // the sandbox asks for 1–2 s (429, 503)
  o.retry.max_elapsed = 60s;
  o.curl.total_timeout = 30s;
}

/// Why an error does not count as typed; "" when it does. Typed means: a category that one
/// of the injected faults can end in once the retries are used up, with the detail that
/// category promises, and a message naming the retrieval (its telegramId).
///   network      dropped connection, truncated body
///   http         500 (http_status() >= 500)
///   rate_limited 429 (retry_after() set)
///   maintenance  503 + E0005 (retry_after() set)
///   decode       malformed body (location() set)
///   timeout      missing notification and the result still not ready
///   auth         expired token that could not be refreshed
/// Anything else (protocol, validation, storage, tls, consent_*, cancelled) is untyped here:
/// no injected fault explains it.
std::string untyped_reason(const Error& e) {
  if (e.message().size() < 20) return "empty or unhelpful message";
  if (e.message().find("TL-") == std::string::npos) return "the message does not name the retrieval";
  switch (e.category()) {
    case ErrorCategory::network:
    case ErrorCategory::timeout:
    case ErrorCategory::auth: return "";
    case ErrorCategory::http:
      return e.http_status() && *e.http_status() >= 500 ? "" : "http error without a 5xx status";
    case ErrorCategory::rate_limited:
    case ErrorCategory::maintenance: return e.retry_after() ? "" : "no retry_after";
    case ErrorCategory::decode: return e.location() ? "" : "decode error without a location";
    default: return std::string("category ") + to_string(e.category()) + " is not a fault outcome";
  }
}

/// Lost and duplicated records of one successful retrieval against its ground truth.
struct Comparison {
  std::size_t lost = 0, duplicated = 0;
  bool same_order = true;
};

template <class R>
Comparison compare(const std::vector<R>& got, const std::vector<R>& truth) {
  Comparison c;
  if (test::same_records(got, truth)) return c;
  c.same_order = false;
  std::vector<bool> used(got.size(), false);
  std::size_t matched = 0;
  for (const R& t : truth) {
    for (std::size_t j = 0; j < got.size(); ++j) {
      if (!used[j] && records_equal(got[j], t)) {
        used[j] = true;
        ++matched;
        break;
      }
    }
  }
  c.lost = truth.size() - matched;
  c.duplicated = got.size() - matched;
  return c;
}

struct Tally {
  std::mutex mu;
  std::size_t retrievals = 0, succeeded = 0, records = 0;
  std::size_t lost = 0, duplicated = 0, misordered = 0, typed = 0, untyped = 0;
  std::size_t odd_values = 0, odd_values_kept = 0;  // in successful retrievals
  std::size_t other_issues = 0;                     // issues of delivered records the ground truth does not explain
  std::map<std::string, std::size_t> typed_by_category;
  std::vector<std::string> typed_samples, untyped_samples;
  std::set<std::string> failed_citizens;

  std::vector<std::string> other_samples;
  void success(const Comparison& c, std::size_t delivered, std::size_t issues, const std::string& sample) {
    std::lock_guard<std::mutex> lock(mu);
    other_issues += issues;
    if (issues > 0 && other_samples.size() < 10) other_samples.push_back(sample);
    ++succeeded;
    records += delivered;
    lost += c.lost;
    duplicated += c.duplicated;
    if (!c.same_order && c.lost == 0 && c.duplicated == 0) ++misordered;
  }
  std::vector<std::string> odd_samples;  // values that did not come back as served
  void odd_value(bool kept, const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    ++odd_values;
    odd_values_kept += kept;
    if (!kept && odd_samples.size() < 10) odd_samples.push_back(what);
  }
  void add_retrievals(std::size_t n) {
    std::lock_guard<std::mutex> lock(mu);
    retrievals += n;
  }
  /// A success whose records were handed over `calls` times instead of once.
  void wrong_deliveries(std::size_t calls, std::size_t truth_size) {
    std::lock_guard<std::mutex> lock(mu);
    if (calls == 0)
      lost += truth_size;
    else
      duplicated += (calls - 1) * truth_size;
  }
  void failure(const std::string& citizen, const Error& e) {
    std::lock_guard<std::mutex> lock(mu);
    failed_citizens.insert(citizen);
    const std::string why = untyped_reason(e);
    if (why.empty()) {
      ++typed;
      ++typed_by_category[to_string(e.category())];
      if (typed_samples.size() < 10) typed_samples.push_back(citizen + ": " + e.to_string());
    } else {
      ++untyped;
      if (untyped_samples.size() < 10) untyped_samples.push_back(why + " — " + e.to_string());
    }
  }
};

/// True when a delivered record has the odd value as served: its wire text (or extra item) and
/// exactly its issues.
template <class R>
bool odd_value_kept(const R& r, const sandbox::OddValue& odd) {
  std::vector<IssueKind> kinds;  // the issues of the odd item (of keys that are no item: item 0)
  for (const Issue& i : r.issues)
    if (i.item_number == odd.item_number) kinds.push_back(i.kind);
  if (kinds != odd.issues) return false;
  if (odd.item_number != 0) return to_wire_text(find_field<R>(odd.item_number)->of(r)) == odd.wire;
  for (const ExtraItem* x = r.issues.extra_begin(); x != r.issues.extra_end(); ++x)
    if (x->key.view() == odd.key && x->text.view() == odd.wire) return true;
  return false;
}

/// Checks the odd values of a retrieval against the sandbox's ground truth, then puts the
/// generator's value back in their place, so that the records compare equal to the truth.
template <class R>
void check_odd_values(std::vector<R>& got, const std::vector<R>& truth, const std::vector<sandbox::OddValue>& odds,
                      Tally& tally) {
  for (const sandbox::OddValue& odd : odds) {
    const bool in_range = odd.record < got.size() && odd.record < truth.size();
    const bool kept = in_range && odd_value_kept(got[odd.record], odd);
    std::string what = odd.telegram_id + " record " + std::to_string(odd.record) + " item " +
                       std::to_string(odd.item_number) + " " + odd.variant;
    if (in_range && !kept)
      for (const Issue& i : got[odd.record].issues)
        what += std::string(" [") + std::to_string(i.item_number) + " " + to_string(i.kind) + "]";
    tally.odd_value(kept, what);
    if (!in_range) continue;
    R& r = got[odd.record];
    r.issues.clear();
    if (odd.item_number == 0) continue;
    const FieldInfo* f = find_field<R>(odd.item_number);
    const ConstFieldRef was = f->of(truth[odd.record]);
    if (!present(was))
      clear(f->of(r));
    else
      (void)assign_wire_text(*f, f->of(r), to_wire_text(was));
  }
}

/// Issues of the delivered records that the ground truth does not explain, plus the expected
/// ones missing: per record, the code-table issues of the generated record
/// (sandbox::code_issues: unknown codes, ambiguous ones without 実施年月日) on every item but
/// the odd ones, whose issues odd_value_kept checks. `sample` names the first such record.
template <class R>
std::size_t unexplained_issues(const std::vector<R>& got, const std::vector<R>& truth,
                               const std::vector<sandbox::OddValue>& odds, std::string& sample) {
  const auto by_item = [](const Issue& a, const Issue& b) {
    return a.item_number != b.item_number ? a.item_number < b.item_number : a.kind < b.kind;
  };
  std::size_t count = 0;
  for (std::size_t k = 0; k < got.size(); ++k) {
    const auto odd_item = [&](std::uint16_t item) {
      return std::any_of(odds.begin(), odds.end(),
                         [&](const auto& v) { return v.record == k && v.item_number == item; });
    };
    std::vector<Issue> expected, actual, differ;
    if (k < truth.size())
      for (const Issue& i : sandbox::code_issues(truth[k]))
        if (!odd_item(i.item_number)) expected.push_back(i);
    for (const Issue& i : got[k].issues)
      if (!odd_item(i.item_number)) actual.push_back(i);
    std::sort(expected.begin(), expected.end(), by_item);
    std::sort(actual.begin(), actual.end(), by_item);
    std::set_symmetric_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                                  std::back_inserter(differ), by_item);
    if (!differ.empty() && sample.empty()) {
      sample = "record " + std::to_string(k);
      for (const Issue& i : differ) sample += " [" + std::to_string(i.item_number) + " " + to_string(i.kind) + "]";
    }
    count += differ.size();
  }
  return count;
}

/// The odd values the sandbox served, by telegram id.
std::map<std::string, std::vector<sandbox::OddValue>> odd_values_by_telegram(World& w) {
  std::map<std::string, std::vector<sandbox::OddValue>> by_id;
  for (sandbox::OddValue& v : w.sandbox().odd_values_served()) by_id[v.telegram_id].push_back(std::move(v));
  return by_id;
}

/// One batch of one record type over some citizens, checked against the ground truth.
template <class R>
void run_batch(World& w, const std::vector<std::size_t>& indexes, const Query& q, Tally& tally) {
  std::vector<std::string> keys;
  for (std::size_t i : indexes) keys.push_back(sandbox::citizen_id(i));
  std::mutex mu;
  std::map<std::string, std::size_t> callbacks;  // per citizen: exactly one on success
  std::map<std::string, std::vector<R>> delivered;
  auto report = w.client().batch<R>(
      keys, q,
      [&](const std::string& key, std::vector<R>&& got) {
        std::lock_guard<std::mutex> lock(mu);
        ++callbacks[key];
        delivered[key] = std::move(got);
        return Status();
      },
      BatchOptions{kBatchConcurrency});
  tally.add_retrievals(keys.size());
  const auto odd_values = odd_values_by_telegram(w);
  for (const BatchOutcome& o : report.outcomes) {
    if (!o.status.ok()) {
      tally.failure(o.citizen, o.status.error());
      continue;
    }
    auto index = static_cast<std::size_t>(sandbox::citizen_index(o.citizen));
    const auto truth = w.sandbox().generator().records<R>(index, q);
    const std::size_t calls = callbacks[o.citizen];  // a success hands over its records once
    if (calls != 1) {
      tally.wrong_deliveries(calls, truth.size());
      continue;
    }
    std::vector<R>& got = delivered[o.citizen];
    const std::size_t size = got.size();
    const auto odd = odd_values.find(o.info.telegram_id);
    const std::vector<sandbox::OddValue> none;
    const std::vector<sandbox::OddValue>& odds = odd != odd_values.end() ? odd->second : none;
    std::string sample;
    const std::size_t unexplained = unexplained_issues(got, truth, odds, sample);
    check_odd_values(got, truth, odds, tally);
    tally.success(compare(got, truth), size, unexplained, o.info.telegram_id + " " + sample);
  }
}

Query query(RecordType type, const char* from, const char* to) { return make_query(type, from, to).value(); }

/// Each record type over every citizen: even citizens with one range, odd ones with another
/// (a year, several years, fiscal years), the three types in parallel.
void run_all_types(World& w, std::size_t citizens, Tally& tally) {
  std::vector<std::size_t> even, odd;
  for (std::size_t i = 1; i <= citizens; ++i) (i % 2 ? odd : even).push_back(i);
  std::thread drugs([&] {
    run_batch<DrugRecord>(w, even, query(RecordType::drug, "20240101", "20241231"), tally);
    run_batch<DrugRecord>(w, odd, query(RecordType::drug, "20220101", "20261031"), tally);
  });
  std::thread checkups([&] {
    run_batch<CheckupRecord>(w, even, query(RecordType::checkup, "20210401", "20260331"), tally);
    run_batch<CheckupRecord>(w, odd, query(RecordType::checkup, "20250401", "20260331"), tally);
  });
  std::thread expenses([&] {
    run_batch<MedicalExpenseRecord>(w, even, query(RecordType::expense, "20240101", "20241231"), tally);
    run_batch<MedicalExpenseRecord>(w, odd, query(RecordType::expense, "20230401", "20261031"), tally);
  });
  drugs.join();
  checkups.join();
  expenses.join();
}

/// Consent for citizens 1..n (key = the sandbox citizen id), four at a time.
bool consent_all(World& w, std::size_t citizens) {
  std::atomic<std::size_t> next{1}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (std::size_t i; (i = next++) <= citizens;)
        if (!w.consent(sandbox::citizen_id(i), sandbox::citizen_id(i)).ok()) ++failed;
    });
  for (auto& t : threads) t.join();
  return failed == 0;
}

struct SoakRun {
  double seconds = 0;
  sandbox::SandboxStats stats;
  std::size_t unfinished = 0;

  /// Faults injected into request/result calls (not the notification faults).
  std::uint64_t call_faults() const {
    std::uint64_t n = 0;
    for (const auto& [kind, count] : stats.faults_by_kind)
      if (kind.find("notification") == std::string::npos) n += count;
    return n;
  }
};

SoakRun soak(std::size_t citizens, std::uint64_t seed, Tally& tally) {
  auto options = World::fast_sandbox();
  options.faults = soak_faults(seed);
  auto store = make_memory_retrieval_store();
  SoakRun run;
  {
    World w(options, [&](ClientOptions& o) {
      tune(o);
      o.retrieval_store = store;
    });
    REQUIRE(consent_all(w, citizens));
    const auto started = std::chrono::steady_clock::now();
    run_all_types(w, citizens, tally);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::this_thread::sleep_for(kLateDelay + 300ms);  // late notifications reach finished retrievals
    run.stats = w.sandbox().stats();
    run.unfinished = store->unfinished().value().size();
  }
  return run;
}

/// What one soak measured, as the figures it prints.
struct Figures {
  double fault_rate = 0, rss_growth = 0, heap_growth = 0;
  long fd_leak = 0, thread_leak = 0;

  Figures(const SoakRun& run, const test::Usage& before, const test::Usage& after) {
    const auto calls = static_cast<double>(run.stats.telegram_calls);
    fault_rate = calls > 0 ? 100.0 * static_cast<double>(run.call_faults()) / calls : 0;
    rss_growth = test::mib(after.rss - before.rss);
    heap_growth = test::mib(after.heap - before.heap);
    fd_leak = after.fds - before.fds;
    thread_leak = after.threads - before.threads;
  }
};

void print(std::size_t citizens, const Tally& tally, const SoakRun& run, const Figures& f) {
  const auto n = [](auto v) { return static_cast<double>(v); };
  figure("soak_citizens", n(citizens), "citizens");
  figure("soak_retrievals", n(tally.retrievals), "retrievals");
  figure("soak_records", n(tally.records), "records");
  figure("soak_seconds", run.seconds, "s");
  figure("soak_calls", n(run.stats.telegram_calls), "calls");
  figure("soak_fault_rate", f.fault_rate, "%");
  figure("soak_faults_injected", n(run.stats.faults_injected), "faults");
  figure("soak_failed_citizens", n(tally.failed_citizens.size()), "citizens");
  figure("soak_typed_errors", n(tally.typed), "errors");
  figure("soak_lost", n(tally.lost), "records");
  figure("soak_odd_values", n(tally.odd_values), "values");
  figure("soak_odd_values_kept", n(tally.odd_values_kept), "values");
  figure("soak_other_issues", n(tally.other_issues), "issues");
  figure("soak_duplicated", n(tally.duplicated), "records");
  figure("soak_untyped_errors", n(tally.untyped), "errors");
  figure("soak_fd_leak", n(f.fd_leak), "fds");
  figure("soak_thread_leak", n(f.thread_leak), "threads");
  figure("soak_rss_growth_mb", f.rss_growth, "MiB");
  figure("soak_heap_growth_mb", f.heap_growth, "MiB");
  for (const auto& [kind, count] : run.stats.faults_by_kind)
    std::printf("  fault %-24s %llu\n", kind.c_str(), static_cast<unsigned long long>(count));
  for (const auto& [category, count] : tally.typed_by_category)
    std::printf("  typed error %-14s %zu\n", category.c_str(), count);
  for (const auto& sample : tally.typed_samples) std::printf("  typed: %s\n", sample.c_str());
  for (const auto& sample : tally.untyped_samples) std::printf("  UNTYPED %s\n", sample.c_str());
  for (const auto& sample : tally.odd_samples) std::printf("  ODD VALUE NOT KEPT %s\n", sample.c_str());
  for (const auto& sample : tally.other_samples) std::printf("  OTHER ISSUES %s\n", sample.c_str());
  const sandbox::SandboxStats& s = run.stats;
  using U = unsigned long long;
  std::printf("  notifications sent %llu acked %llu rejected %llu; forged sent %llu accepted %llu; processes %llu\n",
              U{s.notifications_sent}, U{s.notifications_acked}, U{s.notifications_rejected}, U{s.forged_sent},
              U{s.forged_accepted}, U{s.processes_created});
  std::fflush(stdout);
}

}  // namespace

TEST_CASE("soak: citizens through batch with ~10 % faults end with ground truth or a typed error", "[e2e][soak]") {
  const std::size_t citizens = env_number("MYNA_SOAK_CITIZENS", kDefaultCitizens);
  const std::uint64_t seed = env_number("MYNA_SOAK_SEED", 7);
  REQUIRE(citizens >= 2);
  {  // warm-up: one-time allocations (OpenSSL, libcurl, thread-locals) before the baseline
    Tally warm;
    soak(24, seed + 1, warm);
  }
  const test::Usage before = test::Usage::now();
  Tally tally;
  const SoakRun run = soak(citizens, seed, tally);
  const Figures f(run, before, test::settle(before));
  print(citizens, tally, run, f);

  CHECK(tally.retrievals == 3 * citizens);
  CHECK(tally.succeeded + tally.typed + tally.untyped == tally.retrievals);
  CHECK(tally.lost == 0);
  CHECK(tally.odd_values > 0);
  CHECK(tally.odd_values_kept == tally.odd_values);  // each with its wire text and its issues
  CHECK(tally.other_issues == 0);                    // and no issue the ground truth does not explain
  CHECK(tally.duplicated == 0);
  CHECK(tally.misordered == 0);
  CHECK(tally.untyped == 0);
  CHECK(run.unfinished == 0);                              // every retrieval reached a final state
  CHECK(run.stats.processes_created <= tally.retrievals);  // a re-sent request made no second process
  CHECK(run.stats.forged_accepted == 0);
  CHECK(run.stats.result_fetches_for_unknown_process == 0);
  CHECK(f.fd_leak <= 0);
  CHECK(f.thread_leak <= 0);
  if (!test::kSanitizedHeap) {  // the sanitizer's allocator: LeakSanitizer checks instead
    CHECK(f.rss_growth < kRssSlackMiB);
    CHECK(f.heap_growth < kHeapSlackMiB);
  }
  if (citizens >= 200) {  // large enough that every fault kind shows up
    CHECK(f.fault_rate > 7.0);
    CHECK(f.fault_rate < 13.0);
    for (const auto& [kind, count] : run.stats.faults_by_kind) {
      INFO(kind);
      CHECK(count > 0);
    }
  }
}
