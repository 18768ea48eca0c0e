// `myna catalog [drugs|checkups|expenses]`: the item catalogs, as the SDK's tables hold them.
#include <algorithm>
#include <iostream>
#include <set>

#include "args.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "internal/json_string.hpp"
#include "myna/export/csv.hpp"
#include "output.hpp"

namespace myna::cli {
namespace {

const CommandSpec& spec() {
  static const CommandSpec s{
      "catalog",
      "[drugs|checkups|expenses] [--format table|csv|json]",
      "Prints the item catalog of a record type (all three without an argument): 項番, the guideline's\n"
      "Japanese item name, the English name, 項目分類 (checkups), value kind, UCUM unit, code set and,\n"
      "for checkups, the 特定健診項目コード (urn:oid:1.2.392.200119.6.1005). The code sets follow with their\n"
      "codes, meanings and FHIR systems.",
      {{"format", "FORMAT", "table (default), csv or json"}},
      0,
      1,
      "example:\n  myna catalog checkups --format csv > checkup-items.csv"};
  return s;
}

/// The codes of every table of a set; a set with periods names each table's period.
std::string codes_text(const CodeSet& set) {
  std::string out;
  for (std::size_t t = 0; t < set.table_count; ++t) {
    const CodeTable& table = set.tables[t];
    if (set.table_count > 1)
      out += std::string(t ? "; " : "") +
             (table.period == CodePeriod::before_2024_04 ? "until 2024-03-31: " : "from 2024-04-01: ");
    for (std::size_t i = 0; i < table.size; ++i)
      out += (i ? ", " : "") + std::string(table.entries[i].code) + " " + std::string(table.entries[i].meaning);
  }
  return out;
}

/// The FHIR CodeSystems of a set's tables ("" when none is public).
std::string systems_text(const CodeSet& set) {
  std::string out;
  for (std::size_t t = 0; t < set.table_count; ++t) {
    const std::string_view system = set.tables[t].system;
    if (!system.empty() && out.find(system) == std::string::npos) out += (out.empty() ? "" : " ") + std::string(system);
  }
  return out;
}

std::vector<std::string> columns(const FieldInfo& f) {
  return {std::to_string(f.number),
          std::string(f.ja),
          std::string(f.en),
          std::string(f.group),
          to_string(f.kind),
          std::string(f.unit),
          std::string(code_set(f.codes).name),
          std::string(f.observation_code)};
}

template <class R>
std::string table() {
  bool checkup = RecordTraits<R>::type == RecordType::checkup;
  std::vector<std::vector<std::string>> rows{
      {"項番", "項目名", "name", "項目分類", "kind", "unit", "code set", "特定健診項目コード"}};
  std::set<CodeSetId> sets;
  for (const FieldInfo& f : catalog<R>()) {
    rows.push_back(columns(f));
    if (f.codes != CodeSetId::none) sets.insert(f.codes);
  }
  if (!checkup)
    for (auto& row : rows) row.erase(row.begin() + 7), row.erase(row.begin() + 3);
  std::string out = std::string(japanese_name(RecordTraits<R>::type)) + " (" +
                    std::string(english_name(RecordTraits<R>::type)) + ", " + std::to_string(catalog<R>().size()) +
                    " items)\n" + format_table(rows) + (sets.empty() ? "" : "\ncode sets:\n");
  for (CodeSetId id : sets) {
    const CodeSet& set = code_set(id);
    const std::string systems = systems_text(set);
    out += "  " + std::string(set.name) + (set.source_published ? "" : " (no published source)") +
           (systems.empty() ? "" : " " + systems) + ": " + codes_text(set) + "\n";
  }
  return out;
}

void append_csv_row(std::string& out, const std::vector<std::string>& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, row[i]);
  }
  out += "\r\n";
}

template <class R>
std::string csv() {
  std::string out;
  append_csv_row(
      out, {"number", "ja", "en", "group", "kind", "unit", "code_set", "observation_code", "code_set_system", "codes"});
  for (const FieldInfo& f : catalog<R>()) {
    std::vector<std::string> row = columns(f);
    row.push_back(systems_text(code_set(f.codes)));
    row.push_back(f.codes == CodeSetId::none ? "" : codes_text(code_set(f.codes)));
    append_csv_row(out, row);
  }
  return out;
}

template <class R>
std::string json() {
  static const char* keys[] = {"number", "ja", "en", "group", "kind", "unit", "code_set", "observation_code"};
  std::string out = "[";
  for (const FieldInfo& f : catalog<R>()) {
    std::vector<std::string> row = columns(f);
    out += out.size() > 1 ? ",\n{" : "\n{";
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      internal::append_json_string(out, keys[i]);
      out += ':';
      if (i == 0)
        out += row[i];
      else
        internal::append_json_string(out, row[i]);
    }
    out += '}';
  }
  return out + "\n]\n";
}

template <class R>
std::string render_catalog(const std::string& format) {
  if (format == "csv") return csv<R>();
  if (format == "json") return json<R>();
  return table<R>();
}

}  // namespace

bool parse_record_type(const std::string& text, RecordType& type) {
  auto named = record_type_named(text);
  if (named) type = *named;
  return named.has_value();
}

Result<std::vector<RecordType>> parse_types(const std::string& list) {
  std::vector<RecordType> types;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = std::min(list.find(',', start), list.size());
    RecordType t;
    if (!parse_record_type(list.substr(start, end - start), t))
      return Error(ErrorCategory::validation,
                   "unknown record type in --types: '" + list.substr(start, end - start) + "'");
    if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
    start = end + 1;
  }
  return types;
}

int run_catalog(const Argv& argv) {
  auto args = parse_args(spec(), argv);
  if (!args) return usage_error("catalog", args.error().message());
  if (args->help()) return print_help(spec());
  const std::string format = args->get("format", "table");
  if (format != "table" && format != "csv" && format != "json")
    return usage_error("catalog", "unknown format '" + format + "' (table, csv or json)");
  std::vector<RecordType> types{RecordType::drug, RecordType::checkup, RecordType::expense};
  if (!args->positional().empty()) {
    RecordType t;
    if (!parse_record_type(args->positional()[0], t))
      return usage_error("catalog", "unknown record type '" + args->positional()[0] + "' (drugs, checkups, expenses)");
    types = {t};
  }
  if (types.size() > 1 && format != "table")
    return usage_error("catalog", "--format " + format + " needs one record type");
  for (RecordType t : types) {
    std::cout << visit_record_type(t, [&](auto tag) { return render_catalog<decltype(tag)>(format); });
    if (types.size() > 1 && t != RecordType::expense) std::cout << "\n";
  }
  std::cout.flush();
  return std::cout ? kOk : kStorage;
}

}  // namespace myna::cli
