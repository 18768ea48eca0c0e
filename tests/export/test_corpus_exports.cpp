// The variant corpus (tests/data/variants/) through every export: each telegram decoded in the
// lenient policy and written as CSV, JSON Lines and a FHIR Bundle. Every file is valid UTF-8,
// the JSON parses back, the text of every unparsed value is in each export, and the FHIR
// Bundle carries each issue of the records once and each extra item. (The npm validators
// check the same Bundles against R4 and JP Core: scripts/ci-fhir.)
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "internal/json_string.hpp"
#include "internal/utf8.hpp"
#include "myna/codec/payload.hpp"
#include "myna/export/csv.hpp"
#include "myna/export/fhir.hpp"
#include "myna/export/json_lines.hpp"

using namespace myna;

namespace {

const std::string kDir = std::string(MYNA_TEST_DATA_DIR) + "/variants/";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Every string value (and key) of a JSON document, for "is this text in the export".
void collect_strings(const rapidjson::Value& v, std::vector<std::string>& out) {
  if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  if (v.IsArray())
    for (const auto& item : v.GetArray()) collect_strings(item, out);
  if (v.IsObject())
    for (const auto& m : v.GetObject()) {
      out.emplace_back(m.name.GetString(), m.name.GetStringLength());
      collect_strings(m.value, out);
    }
}

std::vector<std::string> parse_strings(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(json.c_str(), json.size());
  INFO(json.substr(0, 200));
  REQUIRE_FALSE(doc.HasParseError());
  std::vector<std::string> out;
  collect_strings(doc, out);
  return out;
}

bool contains(const std::vector<std::string>& strings, const std::string& text) {
  for (const auto& s : strings)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

/// How FHIR writes a text: control characters other than tab, CR, LF as Control Pictures.
std::string as_fhir(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\r' && c != '\n')
      out += std::string("\xE2\x90") + static_cast<char>(0x80 + u);
    else
      out += c;
  }
  return out;
}

std::string csv_quoted(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

struct Totals {
  int telegrams = 0, unparsed = 0, issues = 0;
};
Totals g_totals;

template <class R>
void check_exports(const std::string& name, const std::string& body) {
  auto decoded = codec::decode_result<R>(body, Profile{}, DecodeOptions{});
  if (!decoded) return;  // a service error or broken structure: no records (test_variants)
  const std::vector<R>& records = decoded->records;
  ++g_totals.telegrams;
  const std::string csv = to_csv(records);
  std::ostringstream lines_out;
  REQUIRE(write_all(*make_json_lines_writer<R>(lines_out), records));
  const std::string lines = lines_out.str();
  FhirOptions options;
  options.patient_id = "corpus";
  options.id_seed = name;
  auto fhir = to_fhir_bundle(records, options);
  REQUIRE(fhir);
  const std::string& bundle = *fhir;
  for (const std::string* file : {&csv, &lines, &bundle}) CHECK(internal::is_valid_utf8(*file));

  std::vector<std::string> line_strings;
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);)
    for (auto& s : parse_strings(line)) line_strings.push_back(std::move(s));
  const std::vector<std::string> fhir_strings = parse_strings(*fhir);

  std::size_t issues = 0, extras = 0;
  for (const R& r : records) {
    for (const FieldInfo& f : catalog<R>()) {
      if (state(f.of(r)) != ValueState::unparsed) continue;
      const std::string text = export_text(f.of(r));
      INFO("item " << f.number << " " << f.ja);
      ++g_totals.unparsed;
      CHECK(csv.find(csv_quoted(text)) != std::string::npos);
      CHECK(contains(line_strings, text));
      CHECK(contains(fhir_strings, as_fhir(text)));
    }
    issues += r.issues.size();
    extras += r.issues.extra_count();
    // Each extra item's key and value (JSON-escaped) in the CSV's extra_items column.
    for (const ExtraItem* x = r.issues.extra_begin(); x != r.issues.extra_end(); ++x) {
      std::string value;
      internal::append_json_string(value, internal::repair_utf8(x->text.view()));
      CHECK(csv.find(csv_quoted(value)) != std::string::npos);
    }
  }
  g_totals.issues += static_cast<int>(issues);
  // Each issue once, each extra item once (with its key), never a value in an issue.
  CHECK(count_of(*fhir, "\"urn:mynaportal-sdk:fhir:issue\"") == issues);
  CHECK(count_of(*fhir, "\"urn:mynaportal-sdk:fhir:received-item\"") >= extras);
}

}  // namespace

TEST_CASE("corpus: every telegram through CSV, JSON Lines and FHIR keeps every value", "[export][corpus]") {
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    if (entry.path().extension() != ".telegram") continue;
    const std::string name = entry.path().stem().string();
    INFO(name);
    const std::string body = read_file(entry.path());
    if (name.rfind("drug_", 0) == 0) check_exports<DrugRecord>(name, body);
    if (name.rfind("checkup_", 0) == 0) check_exports<CheckupRecord>(name, body);
    if (name.rfind("expense_", 0) == 0) check_exports<MedicalExpenseRecord>(name, body);
  }
  CHECK(g_totals.telegrams >= 45);
  CHECK(g_totals.unparsed >= 20);
  CHECK(g_totals.issues >= 50);
  std::printf(
      "FIGURE corpus_export_telegrams %d\nFIGURE corpus_export_unparsed_values %d\nFIGURE corpus_export_issues %d\n",
      g_totals.telegrams, g_totals.unparsed, g_totals.issues);
}
