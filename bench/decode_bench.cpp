// Decode throughput beside general JSON parsers. For each record type, one result telegram
// of at least 50 MiB made by the sandbox's generator, decoded by
//   decode        the SDK: codec::decode_result<R>(body) → records
//   decode_stream the SDK's streaming decoder, fed 256 KiB chunks (bounded memory); the
//                 records moved into a vector sized once (decode_stream_growing: grown one by one)
//   sax_null      RapidJSON SAX with a handler that does nothing (both stages)
//   dom_map       RapidJSON DOM (both stages) + a key → field table mapping into the records
//   nlohmann_map  nlohmann::json (both stages) + the same mapping
//   simdjson      simdjson DOM parse of both stages, no mapping (when libsimdjson is installed)
// Methods run interleaved for several rounds; each keeps its best time. Time is the thread's
// CPU time (user + system), so that other processes on a loaded machine do not count; on an
// idle machine it equals wall time for this single-threaded work. MB = 2^20 body bytes.
// usage: decode_bench [--smoke] [--mb N] [--rounds N] [--type drugs|checkups|expenses] [--method NAME]
// (--type/--method restrict the run, e.g. for profiling one method under callgrind)
#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>

#include "common/bench.hpp"
#include "decode/baselines.hpp"
#include "decode/telegrams.hpp"

using namespace myna;

namespace {

struct Options {
  std::size_t bytes = 50u << 20;
  int rounds = 5;
  std::string type, method;  ///< empty: all
};

Options parse_options(int argc, char** argv) {
  Options o;
  if (bench::smoke(argc, argv)) o.bytes = 64u << 10, o.rounds = 1;
  for (int i = 1; i + 1 < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mb") o.bytes = std::strtoull(argv[i + 1], nullptr, 10) << 20;
    if (arg == "--rounds") o.rounds = std::max(1, std::atoi(argv[i + 1]));
    if (arg == "--type") o.type = argv[i + 1];
    if (arg == "--method") o.method = argv[i + 1];
  }
  return o;
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "decode_bench: " << what << '\n';
  std::exit(1);
}

/// Hands out a body in fixed-size views (no copies), like a socket would.
class SliceSource : public ByteSource {
 public:
  SliceSource(std::string_view body, std::size_t chunk) : rest_(body), chunk_(chunk) {}
  Result<std::string_view> next() override {
    std::string_view part = rest_.substr(0, chunk_);
    rest_.remove_prefix(part.size());
    return part;
  }

 private:
  std::string_view rest_;
  std::size_t chunk_;
};

template <class R>
using Decoder = std::function<bool(const std::string& body, ResultTelegram<R>& out)>;

template <class R>
struct Method {
  std::string name;
  Decoder<R> run;
  double best_seconds = std::numeric_limits<double>::infinity();
};

/// The streaming decoder fed 256 KiB slices; the records are moved into out.records, sized
/// beforehand for `reserve` records (0: it grows as records arrive).
template <class R>
bool decode_stream(const Profile& profile, const std::string& body, ResultTelegram<R>& out, std::size_t reserve) {
  SliceSource source(body, 256 * 1024);
  out.records.reserve(reserve);
  RecordCallback<R> keep = [&out](R&& r) { return out.records.push_back(std::move(r)), Status(); };
  return codec::decode_result<R>(source, profile, keep, out.header).ok();
}

template <class R>
std::vector<Method<R>> all_methods(const Profile& profile, std::size_t records) {
  std::vector<Method<R>> m;
  m.push_back({"decode", [&profile](const std::string& body, ResultTelegram<R>& out) {
                 auto r = codec::decode_result<R>(std::string_view(body), profile);
                 if (r) out = std::move(*r);
                 return r.ok();
               }});
  // The consumer's storage sized once, as the buffer decoder sizes its own: decoder against
  // decoder. decode_stream_growing: the same consumer with a vector that grows record by record.
  m.push_back({"decode_stream", [&profile, records](const std::string& body, ResultTelegram<R>& out) {
                 return decode_stream(profile, body, out, records);
               }});
  m.push_back({"decode_stream_growing", [&profile](const std::string& body, ResultTelegram<R>& out) {
                 return decode_stream(profile, body, out, 0);
               }});
  m.push_back({"sax_null", [](const std::string& body, ResultTelegram<R>&) { return bench::sax_null(body); }});
  m.push_back({"dom_map", [](const std::string& body, ResultTelegram<R>& out) { return bench::dom_map(body, out); }});
#ifdef MYNA_BENCH_HAVE_NLOHMANN
  m.push_back(
      {"nlohmann_map", [](const std::string& body, ResultTelegram<R>& out) { return bench::nlohmann_map(body, out); }});
#endif
#ifdef MYNA_BENCH_HAVE_SIMDJSON
  auto simdjson = std::make_shared<bench::SimdjsonParse>();
  m.push_back({"simdjson", [simdjson](const std::string& body, ResultTelegram<R>&) { return (*simdjson)(body); }});
#endif
  return m;
}

template <class R>
std::vector<Method<R>> methods(const Profile& profile, std::size_t records, const std::string& only) {
  std::vector<Method<R>> m = all_methods<R>(profile, records);
  if (!only.empty()) m.erase(std::remove_if(m.begin(), m.end(), [&](auto& x) { return x.name != only; }), m.end());
  if (m.empty()) fail("no method named " + only);
  return m;
}

/// Every mapping method must yield exactly the generator's records (a fair race).
template <class R>
void check_records(const std::string& method, const ResultTelegram<R>& got, const bench::Telegram<R>& want) {
  if (method == "sax_null" || method == "simdjson") return;  // parse only
  if (!(got.header == bench::result_header())) fail(method + ": wrong header");
  if (got.records.size() != want.records.size()) fail(method + ": wrong number of records");
  for (std::size_t i = 0; i < got.records.size(); ++i)
    if (!records_equal(got.records[i], want.records[i])) fail(method + ": record #" + std::to_string(i) + " differs");
}

template <class R>
void run_rounds(std::vector<Method<R>>& all, const bench::Telegram<R>& t, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    for (Method<R>& m : all) {
      ResultTelegram<R> out;
      const double start = thread_cpu_seconds();
      if (!m.run(t.body, out)) fail(m.name + " failed");
      m.best_seconds = std::min(m.best_seconds, thread_cpu_seconds() - start);
      if (round == 0) check_records(m.name, out, t);
    }  // out is freed outside the timed region
  }
}

template <class R>
void bench_type(const Options& o) {
  const Profile profile;
  const std::string type(english_name(RecordTraits<R>::type));
  if (!o.type.empty() && o.type != type) return;
  bench::Telegram<R> t = bench::make_telegram<R>(o.bytes, profile);
  t.body.reserve(t.body.size() + 64);  // simdjson's padding (SIMDJSON_PADDING); nothing else reads it
  const double mib = static_cast<double>(t.body.size()) / (1024.0 * 1024.0);
  std::printf("# %s: %.1f MiB, %zu records, best of %d rounds\n", type.c_str(), mib, t.records.size(), o.rounds);
  std::vector<Method<R>> all = methods<R>(profile, t.records.size(), o.method);
  run_rounds(all, t, o.rounds);
  auto mbps = [&](const std::string& name) {
    for (const Method<R>& m : all)
      if (m.name == name) return mib / m.best_seconds;
    return 0.0;
  };
  for (const Method<R>& m : all) bench::figure(m.name + "_" + type + "_mbps", mib / m.best_seconds, "MB/s");
  if (all.size() == 1) return;
  bench::figure("decode_vs_sax_" + type, mbps("sax_null") / mbps("decode"), "ratio");
  bench::figure("decode_vs_dom_" + type, mbps("decode") / mbps("dom_map"), "ratio");
  if (mbps("decode_stream") > 0)
    bench::figure("decode_stream_vs_buffer_" + type, mbps("decode_stream") / mbps("decode"), "ratio");
  if (mbps("decode_stream_growing") > 0)
    bench::figure("decode_stream_growing_vs_buffer_" + type, mbps("decode_stream_growing") / mbps("decode"), "ratio");
  if (mbps("simdjson") > 0) bench::figure("decode_vs_simdjson_" + type, mbps("decode") / mbps("simdjson"), "ratio");
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  std::printf("# decode_bench: RapidJSON %s, %s\n", RAPIDJSON_VERSION_STRING,
#if defined(RAPIDJSON_SSE42)
              "RAPIDJSON_SSE42"
#elif defined(RAPIDJSON_SSE2)
              "RAPIDJSON_SSE2"
#else
              "no RAPIDJSON_SSE* (portable scalar code)"
#endif
  );
  bench_type<DrugRecord>(o);
  bench_type<CheckupRecord>(o);
  bench_type<MedicalExpenseRecord>(o);
  return 0;
}
