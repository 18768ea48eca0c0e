// Rendering fetched records in the formats of `myna fetch` / `myna sync`, and aligned text
// tables that count East Asian wide characters as two columns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "args.hpp"
#include "myna/export/csv.hpp"
#include "myna/export/fhir.hpp"
#include "myna/export/json_lines.hpp"
#include "myna/retrieval_info.hpp"

namespace myna::cli {

enum class Format { table, json, csv, fhir };

Result<Format> parse_format(const std::string& text);
/// File extension of a format: "txt", "jsonl", "csv", "json".
const char* extension(Format format) noexcept;

struct RenderOptions {
  FieldNames names = FieldNames::japanese;  ///< CSV headers, JSON keys (json default: english)
  bool names_given = false;                 ///< --names was given
  bool bom = false;                         ///< CSV: UTF-8 BOM
  bool pretty = false;                      ///< FHIR: indented
  std::string patient_id;                   ///< FHIR: Patient.identifier
};

/// --names, --bom and --pretty of fetch and sync (a validation error for a bad --names).
Result<RenderOptions> render_options(const Args& args);

/// The records in a format, ready to write.
template <class R>
Result<std::string> render(const std::vector<R>& records, Format format, const RenderOptions& options);

/// Columns of UTF-8 text a terminal uses for the string (wide CJK characters count two).
std::size_t display_width(std::string_view text) noexcept;

/// The warning line of a retrieval whose records had issues: type, citizen key, telegram id and
/// the counts per kind (never a value), e.g. "myna: warning: 薬剤情報 of alice (telegram TL-…):
/// 2 issues (unparsed_value=1 unknown_code=1); values kept as received, see docs/errors.md".
/// "" when the retrieval had none.
std::string issue_warning(const RetrievalInfo& info);
/// text padded with spaces to `width` display columns.
std::string pad(std::string_view text, std::size_t width);

/// A table with aligned columns (the last column is not padded).
std::string format_table(const std::vector<std::vector<std::string>>& rows, bool header_rule = true);

}  // namespace myna::cli
