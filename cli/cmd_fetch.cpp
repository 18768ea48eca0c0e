// `myna fetch TYPE --from DATE --to DATE`: one retrieval for one citizen, written as a table,
// JSON Lines, CSV or a FHIR Bundle.
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "session.hpp"

namespace myna::cli {
namespace {

const CommandSpec& spec() {
  static const CommandSpec s = [] {
    CommandSpec c{"fetch",
                  "drugs|checkups|expenses --from DATE --to DATE [--format table|json|csv|fhir] [--out FILE]",
                  "Fetches one record type of one citizen for a 照会年月日 range (YYYY-MM-DD or YYYYMMDD; drugs and\n"
                  "expenses match on 診療年月, checkups on 実施年月日) and writes it to stdout or FILE.\n"
                  "The citizen must have consented (`myna login`).",
                  {{"from", "DATE", "絞り込み開始日 (required)"},
                   {"to", "DATE", "絞り込み終了日 (required)"},
                   {"format", "FORMAT", "table (default), json (JSON Lines), csv (RFC 4180) or fhir (R4 Bundle)"},
                   {"out", "FILE", "write here (atomically, mode 0600) instead of stdout"},
                   {"citizen", "KEY", "your key for the citizen (default: config `citizen`, else default)"},
                   {"names", "ja|en", "CSV headers / JSON keys: Japanese item names or English identifiers"},
                   {"bom", "", "CSV: start with a UTF-8 BOM so that Excel reads Japanese text correctly"},
                   {"pretty", "", "FHIR: indented JSON"},
                   {"strict", "",
                    "refuse records with unexpected values (DecodePolicy::strict) instead of keeping\n"
                    "them as received with a warning line of issue counts"},
                   {"verbose", "", "log the SDK's (redacted) requests to stderr"}},
                  1,
                  1,
                  "examples:\n  myna fetch drugs --from 2024-01-01 --to 2024-12-31\n"
                  "  myna fetch checkups --from 2020-01-01 --to 2024-12-31 --format fhir --out checkups.json\n"
                  "  myna fetch expenses --from 2024-01-01 --to 2024-12-31 --format csv --bom --out expenses.csv"};
    for (OptionSpec& o : config_options()) c.options.push_back(o);
    return c;
  }();
  return s;
}

template <class R>
int fetch_and_write(Client& client, const std::string& citizen, const Query& query, Format format,
                    const RenderOptions& options, const std::string& out, const Context& interrupt) {
  auto fetched = client.fetch<R>(citizen, query, interrupt);
  if (!fetched) return report(fetched.error(), "fetching " + std::string(japanese_name(query.type())));
  const std::vector<R>& records = fetched->records;
  if (std::string warning = issue_warning(fetched->info); !warning.empty()) std::cerr << warning << "\n";
  auto text = render(records, format, options);
  if (!text) return report(text.error(), "exporting");
  if (Status st = write_output(out, *text); !st) return report(st.error(), "writing");
  if (out != "-")
    std::cerr << records.size() << " " << japanese_name(query.type()) << " records written to " << out << "\n";
  return kOk;
}

}  // namespace

int run_fetch(const Argv& argv) {
  auto args = parse_args(spec(), argv);
  if (!args) return usage_error("fetch", args.error().message());
  if (args->help()) return print_help(spec());
  Context interrupt = interrupt_context();
  RecordType type;
  if (!parse_record_type(args->positional()[0], type))
    return usage_error("fetch", "unknown record type '" + args->positional()[0] + "' (drugs, checkups, expenses)");
  if (!args->has("from") || !args->has("to")) return usage_error("fetch", "--from and --to are required");
  auto query = make_query(type, args->get("from"), args->get("to"));
  if (!query) return usage_error("fetch", query.error().message());
  auto format = parse_format(args->get("format", "table"));
  if (!format) return usage_error("fetch", format.error().message());
  auto config = Config::load(*args);
  if (!config) return report(config.error(), "configuration");
  if (Status st = config->require({"api_base_url"}, "fetch"); !st) return report(st.error(), "configuration");
  const std::string citizen = args->get("citizen", config->get("citizen"));
  auto options = render_options(*args);
  if (!options) return usage_error("fetch", options.error().message());
  options->patient_id = citizen;

  auto client = make_client(*config, args->has("verbose"), args->has("strict"));
  if (!client) return report(client.error(), "fetch");
  auto listener = start_notification_listener(*config, **client);
  if (!listener) return report(listener.error(), "fetch");
  const std::string out = args->get("out", "-");
  return visit_record_type(type, [&](auto tag) {
    return fetch_and_write<decltype(tag)>(**client, citizen, *query, *format, *options, out, interrupt);
  });
}

}  // namespace myna::cli
