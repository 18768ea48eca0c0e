#include "output.hpp"

#include <algorithm>
#include <cstdint>
#include <sstream>

namespace myna::cli {
namespace {

/// Decodes one UTF-8 code point at s[i] and advances i (invalid bytes count as one).
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra && i + static_cast<std::size_t>(extra) >= s.size()) extra = 0;  // truncated
  std::uint32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (byte(i + static_cast<std::size_t>(k)) & 0x3F);
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

bool is_wide(std::uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool is_zero_width(std::uint32_t cp) { return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x3099 && cp <= 0x309A); }

/// One block per record: "項番 項目名  値 単位" for the items it carries.
template <class R>
std::string render_table(const std::vector<R>& records) {
  std::string out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    out += std::string(japanese_name(RecordTraits<R>::type)) + " " + std::to_string(i + 1) + "/" +
           std::to_string(records.size()) + "\n";
    std::vector<std::vector<std::string>> rows;
    for (const FieldInfo& f : catalog<R>()) {
      ConstFieldRef ref = f.of(records[i]);
      if (!present(ref)) continue;
      std::string value = to_display_text(ref);
      if (value.empty()) value = "\"\"";  // present but empty
      if (!f.unit.empty()) value += " " + std::string(f.unit);
      rows.push_back({"  " + std::to_string(f.number), std::string(f.ja), value});
    }
    out += format_table(rows, false) + "\n";
  }
  if (records.empty()) out = "(no " + std::string(japanese_name(RecordTraits<R>::type)) + " records in this range)\n";
  return out;
}

}  // namespace

Result<RenderOptions> render_options(const Args& args) {
  RenderOptions r;
  r.bom = args.has("bom");
  r.pretty = args.has("pretty");
  if (args.has("names")) {
    const std::string names = args.get("names");
    if (names != "ja" && names != "en") return Error(ErrorCategory::validation, "--names is ja or en");
    r.names = names == "ja" ? FieldNames::japanese : FieldNames::english;
    r.names_given = true;
  }
  return r;
}

Result<Format> parse_format(const std::string& text) {
  if (text == "table") return Format::table;
  if (text == "json" || text == "jsonl") return Format::json;
  if (text == "csv") return Format::csv;
  if (text == "fhir") return Format::fhir;
  return Error(ErrorCategory::validation, "unknown format '" + text + "' (table, json, csv or fhir)");
}

const char* extension(Format format) noexcept {
  switch (format) {
    case Format::table: return "txt";
    case Format::json: return "jsonl";
    case Format::csv: return "csv";
    case Format::fhir: break;
  }
  return "json";
}

template <class R>
Result<std::string> render(const std::vector<R>& records, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::table: return render_table(records);
    case Format::csv: {
      CsvOptions csv;
      csv.header = options.names;
      csv.bom = options.bom;
      return to_csv(records, csv);
    }
    case Format::json: {
      JsonLinesOptions json;
      json.keys = options.names_given ? options.names : FieldNames::english;
      std::string out;
      for (const R& r : records) out += to_json_object(r, json) + "\n";
      return out;
    }
    case Format::fhir: break;
  }
  FhirOptions fhir;
  fhir.patient_id = options.patient_id;
  fhir.pretty = options.pretty;
  return to_fhir_bundle(records, fhir);
}

template Result<std::string> render<DrugRecord>(const std::vector<DrugRecord>&, Format, const RenderOptions&);
template Result<std::string> render<CheckupRecord>(const std::vector<CheckupRecord>&, Format, const RenderOptions&);
template Result<std::string> render<MedicalExpenseRecord>(const std::vector<MedicalExpenseRecord>&, Format,
                                                          const RenderOptions&);

std::size_t display_width(std::string_view text) noexcept {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = next_code_point(text, i);
    width += is_zero_width(cp) ? 0 : is_wide(cp) ? 2 : 1;
  }
  return width;
}

std::string pad(std::string_view text, std::size_t width) {
  std::string out(text);
  std::size_t w = display_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string format_table(const std::vector<std::vector<std::string>>& rows, bool header_rule) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      if (c) out += "  ";
      out += c + 1 == rows[r].size() ? rows[r][c] : pad(rows[r][c], widths[c]);
    }
    out.erase(out.find_last_not_of(' ') + 1);
    out += '\n';
    if (r == 0 && header_rule) {
      std::size_t total = 0;
      for (std::size_t w : widths) total += w + 2;
      out += std::string(total > 2 ? total - 2 : 0, '-') + '\n';
    }
  }
  return out;
}

std::string issue_warning(const RetrievalInfo& info) {
  if (info.issues.empty()) return {};
  std::ostringstream line;
  line << "myna: warning: " << japanese_name(info.type) << " of " << info.citizen;
  if (!info.telegram_id.empty()) line << " (telegram " << info.telegram_id << ")";
  line << ": " << info.issues.total() << (info.issues.total() == 1 ? " issue (" : " issues (") << info.issues
       << "); values kept as received, see docs/errors.md";
  return line.str();
}

}  // namespace myna::cli
