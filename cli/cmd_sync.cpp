// `myna sync --citizens FILE --out DIR`: many citizens at once (Client::batch), one output
// file per citizen and record type, a progress display, resumable after an interruption, and
// a summary of successes and typed failures.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "session.hpp"
#include "sync_state.hpp"

namespace myna::cli {
namespace {

const CommandSpec& spec() {
  static const CommandSpec s = [] {
    CommandSpec c{"sync",
                  "--citizens FILE --out DIR --from DATE --to DATE [--types LIST] [--format csv|json|fhir]",
                  "Fetches the records of every citizen listed in FILE (one key per line; # comments) and writes\n"
                  "DIR/TYPE/CITIZEN.{csv,jsonl,json}. Runs --concurrency retrievals at once. Progress goes to\n"
                  "stderr (a bar on a terminal, plain lines otherwise). Finished citizens are recorded in\n"
                  "DIR/.myna-sync-progress: run the same command again after an interruption and it continues\n"
                  "where it stopped; failed citizens are retried. The summary lists failures by category.",
                  {{"citizens", "FILE", "citizen keys, one per line (required)"},
                   {"out", "DIR", "output directory (required; created)"},
                   {"from", "DATE", "絞り込み開始日 (required)"},
                   {"to", "DATE", "絞り込み終了日 (required)"},
                   {"types", "LIST", "comma-separated: drugs,checkups,expenses (default: all three)"},
                   {"format", "FORMAT", "csv (default), json (JSON Lines) or fhir (one Bundle per file)"},
                   {"concurrency", "N", "retrievals in flight (default 8)"},
                   {"restart", "", "forget the progress in DIR and fetch everything again"},
                   {"names", "ja|en", "CSV headers / JSON keys: Japanese or English names"},
                   {"bom", "", "CSV: start each file with a UTF-8 BOM (Excel)"},
                   {"strict", "",
                    "refuse records with unexpected values (DecodePolicy::strict) instead of keeping\n"
                    "them as received with a warning line of issue counts"},
                   {"verbose", "", "log the SDK's (redacted) requests to stderr"}},
                  0,
                  0,
                  "exit codes: 0 all succeeded, 8 some citizens failed (see the summary), 130 interrupted\n"
                  "(rerun to resume); others as for every command (myna --help).\n\n"
                  "example:\n  myna sync --citizens citizens.txt --out export --from 2024-01-01 --to 2024-12-31"};
    for (OptionSpec& o : config_options()) c.options.push_back(o);
    return c;
  }();
  return s;
}

struct Failure {
  std::string type, citizen;
  Error error;
};

struct Plan {
  std::vector<std::string> citizens;
  std::vector<RecordType> types;
  Format format = Format::csv;
  RenderOptions render;
  std::string from, to, dir;
  std::size_t concurrency = 8;
};

Result<std::vector<std::string>> read_citizens(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCategory::validation, "cannot read the citizens file " + path);
  std::vector<std::string> citizens;
  std::set<std::string> seen;
  for (std::string line; std::getline(in, line);) {
    line.erase(line.find_last_not_of(" \t\r") + 1);
    line.erase(0, line.find_first_not_of(" \t"));
    if (!line.empty() && line[0] != '#' && seen.insert(line).second) citizens.push_back(line);
  }
  if (citizens.empty()) return Error(ErrorCategory::validation, path + " lists no citizens");
  return citizens;
}

Result<Plan> make_plan(const Args& args) {
  Plan plan;
  for (const char* required : {"citizens", "out", "from", "to"})
    if (!args.has(required)) return Error(ErrorCategory::validation, std::string("--") + required + " is required");
  auto citizens = read_citizens(args.get("citizens"));
  if (!citizens) return std::move(citizens).error();
  plan.citizens = std::move(*citizens);
  auto types = parse_types(args.get("types", "drugs,checkups,expenses"));
  if (!types) return std::move(types).error();
  plan.types = std::move(*types);
  auto format = parse_format(args.get("format", "csv"));
  if (!format || *format == Format::table) return Error(ErrorCategory::validation, "--format is csv, json or fhir");
  plan.format = *format;
  plan.from = args.get("from");
  plan.to = args.get("to");
  plan.dir = args.get("out");
  long concurrency = std::atol(args.get("concurrency", "8").c_str());
  if (concurrency < 1 || concurrency > 256) return Error(ErrorCategory::validation, "--concurrency is 1..256");
  plan.concurrency = static_cast<std::size_t>(concurrency);
  auto render = render_options(args);
  if (!render) return std::move(render).error();
  plan.render = std::move(*render);
  return plan;
}

/// The parameters that must match for a sync to resume.
std::string parameters(const Plan& plan) {
  std::string types;
  for (RecordType t : plan.types) types += (types.empty() ? "" : ",") + std::string(english_name(t));
  return "from=" + plan.from + " to=" + plan.to + " format=" + extension(plan.format) + " types=" + types;
}

/// Creates a directory (0700) or takes the existing one. `follow`: the user named it (--out),
/// so a symlink there is the user's choice; the per-type directories inside are created by the
/// sync and must be real directories: a symlink planted there is never followed.
Status make_dir(const std::string& path, bool follow) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    return Error(ErrorCategory::storage, "cannot create the directory " + path);
  struct stat st {};
  if ((follow ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) != 0 || !S_ISDIR(st.st_mode))
    return Error(ErrorCategory::storage,
                 path + " is not a directory" + (follow ? "" : " (a symbolic link there is never followed)"));
  return {};
}

/// Removes the temporary files of a run that was killed while writing (".NAME.tmp-…"; the
/// citizens' files never start with '.').
void remove_partial_files(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.front() == '.' && name.find(".tmp-") != std::string::npos) std::filesystem::remove(entry.path(), ec);
  }
}

class Sync {
 public:
  Sync(const Plan& plan, Client& client, ProgressFile& progress, ProgressDisplay& display, const Context& interrupt)
      : plan_(plan), client_(client), progress_(progress), display_(display), interrupt_(interrupt) {}

  template <class R>
  Status run_type(const Query& query) {
    const std::string type(english_name(RecordTraits<R>::type));
    const std::string dir = plan_.dir + "/" + type;
    if (Status st = make_dir(dir, false); !st) return st;
    remove_partial_files(dir);
    std::vector<std::string> pending;
    for (const std::string& c : plan_.citizens)
      if (!progress_.done(type, c)) pending.push_back(c);
    const std::size_t chunk = plan_.concurrency * 4;  // failures are reported per chunk
    for (std::size_t i = 0; i < pending.size() && !interrupt_.cancelled(); i += chunk) {
      std::vector<std::string> part(pending.begin() + static_cast<std::ptrdiff_t>(i),
                                    pending.begin() + static_cast<std::ptrdiff_t>(std::min(i + chunk, pending.size())));
      auto on_records = [&](const std::string& citizen, std::vector<R>&& records) {
        return save<R>(type, dir, citizen, records);
      };
      BatchReport batch = client_.batch<R>(part, query, on_records, BatchOptions{plan_.concurrency}, interrupt_);
      for (const BatchOutcome& o : batch.outcomes) note(type, o);
    }
    return {};
  }

  const std::vector<Failure>& failures() const noexcept { return failures_; }
  std::size_t succeeded() const noexcept { return succeeded_; }

 private:
  template <class R>
  Status save(const std::string& type, const std::string& dir, const std::string& citizen,
              const std::vector<R>& records) {
    RenderOptions render = plan_.render;
    render.patient_id = citizen;
    auto text = cli::render(records, plan_.format, render);
    if (!text) return std::move(text).error();
    if (Status st = write_output(dir + "/" + file_name_of(citizen) + "." + extension(plan_.format), *text); !st)
      return st;
    if (Status st = progress_.record_ok(type, citizen, records.size()); !st) return st;
    display_.ok(type, citizen, records.size());
    return {};
  }

  void note(const std::string& type, const BatchOutcome& o) {
    if (o.status.ok()) {
      ++succeeded_;
      if (std::string warning = issue_warning(o.info); !warning.empty()) std::cerr << warning << "\n";
      return;
    }
    if (o.status.error().category() == ErrorCategory::cancelled) return;  // not attempted: resumes next time
    (void)progress_.record_failure(type, o.citizen, to_string(o.status.error().category()));
    display_.failed(type, o.citizen, to_string(o.status.error().category()));
    failures_.push_back({type, o.citizen, o.status.error()});
  }

  const Plan& plan_;
  Client& client_;
  ProgressFile& progress_;
  ProgressDisplay& display_;
  const Context& interrupt_;
  std::vector<Failure> failures_;
  std::size_t succeeded_ = 0;
};

int summarize(const Sync& sync, std::size_t skipped, bool was_interrupted) {
  std::map<ErrorCategory, std::size_t> by_category;
  for (const Failure& f : sync.failures()) ++by_category[f.error.category()];
  std::cout << "sync: " << sync.succeeded() << " succeeded, " << sync.failures().size() << " failed, " << skipped
            << " already done before this run" << (was_interrupted ? " (interrupted: run again to resume)" : "")
            << "\n";
  for (const auto& [category, n] : by_category)
    std::cout << "  " << to_string(category) << ": " << n << " -> " << advice(category) << "\n";
  for (const Failure& f : sync.failures())
    std::cout << "  failed " << f.type << " " << f.citizen << ": " << f.error.to_string() << "\n";
  if (was_interrupted) return kInterrupted;
  if (sync.failures().empty()) return kOk;
  if (sync.succeeded() == 0 && by_category.size() == 1) return exit_code(by_category.begin()->first);
  return kPartial;
}

}  // namespace

int run_sync(const Argv& argv) {
  auto args = parse_args(spec(), argv);
  if (!args) return usage_error("sync", args.error().message());
  if (args->help()) return print_help(spec());
  Context interrupt = interrupt_context();
  auto plan = make_plan(*args);
  if (!plan) return usage_error("sync", plan.error().message());
  std::vector<Query> queries;
  for (RecordType t : plan->types) {
    auto q = make_query(t, plan->from, plan->to);
    if (!q) return usage_error("sync", q.error().message());
    queries.push_back(*q);
  }
  auto config = Config::load(*args);
  if (!config) return report(config.error(), "configuration");
  if (Status st = config->require({"api_base_url"}, "sync"); !st) return report(st.error(), "configuration");
  if (Status st = make_dir(plan->dir, true); !st) return report(st.error(), "sync");
  auto progress = ProgressFile::open(plan->dir, parameters(*plan), args->has("restart"));
  if (!progress) return report(progress.error(), "sync");
  auto client = make_client(*config, args->has("verbose"), args->has("strict"));
  if (!client) return report(client.error(), "sync");
  auto listener = start_notification_listener(*config, **client);
  if (!listener) return report(listener.error(), "sync");

  const std::size_t total = plan->citizens.size() * plan->types.size();
  std::size_t skipped = 0;
  for (RecordType t : plan->types)
    for (const std::string& c : plan->citizens) skipped += progress->done(std::string(english_name(t)), c);
  if (skipped) std::cerr << "sync: resuming, " << skipped << " of " << total << " already done\n";
  ProgressDisplay display(total - skipped, is_terminal(2));
  Sync sync(*plan, **client, *progress, display, interrupt);
  for (const Query& q : queries) {
    if (interrupt.cancelled()) break;
    Status st = visit_record_type(q.type(), [&](auto tag) { return sync.run_type<decltype(tag)>(q); });
    if (!st) return report(st.error(), "sync");
  }
  display.finish();
  return summarize(sync, skipped, interrupt.cancelled());
}

}  // namespace myna::cli
