// CSV export per RFC 4180: one row per record, one column per catalog item in item-number
// order, CRLF line ends, UTF-8 (optionally with a BOM for Excel). See docs/export.md.
//
// Absent ("not measured", 未測定) and empty text are different cells: an absent item is an
// empty field (`,,`), a present empty text is a quoted empty string (`,"",`). Spreadsheets
// show both as an empty cell; RFC 4180 readers that keep quoting (and read_csv_row here)
// tell them apart.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myna/core_export.hpp"
#include "myna/export/writer.hpp"

namespace myna {

struct CsvOptions {
  FieldNames header = FieldNames::japanese;  ///< header names from the catalog
  bool header_row = true;                    ///< write the header row
  bool bom = false;                          ///< start with the UTF-8 BOM (EF BB BF): Excel then reads UTF-8
};

/// The last column of every row: the record's issues (issues_text), empty when there are none.
/// Unparsed values are written as received (repaired where the bytes were not UTF-8).
inline constexpr std::string_view kCsvIssuesColumn = "issues";
/// The column after it: the record's extra items (extra_items_json: keys that are no item,
/// later values of a repeated item, with their values as received), empty when there are none.
inline constexpr std::string_view kCsvExtraItemsColumn = "extra_items";

/// The UTF-8 byte order mark.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// Appends one CSV field (quoted when it holds a comma, quote, CR or LF, or when `quote` is set).
MYNA_CORE_API void append_csv_field(std::string& out, std::string_view text, bool quote = false);

/// The header row of a record type (with CRLF).
template <class R>
MYNA_CORE_API std::string csv_header(const CsvOptions& options = {});

/// One record as a CSV row (with CRLF).
template <class R>
MYNA_CORE_API std::string csv_row(const R& record);

/// A writer of CSV rows to `out` (which must outlive the writer). The BOM and header come
/// before the first row, or at finish() when there are no records.
template <class R>
MYNA_CORE_API std::unique_ptr<RecordWriter<R>> make_csv_writer(std::ostream& out, CsvOptions options = {});

/// All records as one CSV document.
template <class R>
MYNA_CORE_API std::string to_csv(const std::vector<R>& records, const CsvOptions& options = {});

/// One field of a parsed CSV row: nullopt for an empty unquoted field (absent).
using CsvField = std::optional<std::string>;

/// Reads one RFC 4180 row starting at `pos` (which moves past the row's line end); quoted
/// empty fields stay distinct from empty ones. A validation error names the offset of a
/// malformed row (a stray quote, an unterminated quoted field).
MYNA_CORE_API Result<std::vector<CsvField>> read_csv_row(std::string_view text, std::size_t& pos);

/// Rebuilds a record from a row written by csv_row (the inverse; codes and values are
/// validated as in strict decoding; the issues and extra_items columns are not read back). A validation error
/// names the item.
template <class R>
MYNA_CORE_API Result<R> record_from_csv_row(const std::vector<CsvField>& row);

extern template std::string csv_header<DrugRecord>(const CsvOptions&);
extern template std::string csv_header<CheckupRecord>(const CsvOptions&);
extern template std::string csv_header<MedicalExpenseRecord>(const CsvOptions&);
extern template std::string csv_row<DrugRecord>(const DrugRecord&);
extern template std::string csv_row<CheckupRecord>(const CheckupRecord&);
extern template std::string csv_row<MedicalExpenseRecord>(const MedicalExpenseRecord&);
extern template std::unique_ptr<RecordWriter<DrugRecord>> make_csv_writer<DrugRecord>(std::ostream&, CsvOptions);
extern template std::unique_ptr<RecordWriter<CheckupRecord>> make_csv_writer<CheckupRecord>(std::ostream&, CsvOptions);
extern template std::unique_ptr<RecordWriter<MedicalExpenseRecord>> make_csv_writer<MedicalExpenseRecord>(std::ostream&,
                                                                                                          CsvOptions);
extern template std::string to_csv<DrugRecord>(const std::vector<DrugRecord>&, const CsvOptions&);
extern template std::string to_csv<CheckupRecord>(const std::vector<CheckupRecord>&, const CsvOptions&);
extern template std::string to_csv<MedicalExpenseRecord>(const std::vector<MedicalExpenseRecord>&, const CsvOptions&);
extern template Result<DrugRecord> record_from_csv_row<DrugRecord>(const std::vector<CsvField>&);
extern template Result<CheckupRecord> record_from_csv_row<CheckupRecord>(const std::vector<CsvField>&);
extern template Result<MedicalExpenseRecord> record_from_csv_row<MedicalExpenseRecord>(const std::vector<CsvField>&);

}  // namespace myna
