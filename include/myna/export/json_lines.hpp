// JSON Lines export: one JSON object per record and line (LF), keys from the catalog in
// item-number order. See docs/export.md.
//
// Values: text → string ("" stays ""), date → "YYYY-MM-DD", year-month → "YYYY-MM",
// count and yen → number, decimal → number written exactly as received (5.60 stays 5.60),
// code → string (leading zeros kept), coded answer → its code as a string. An absent item
// ("not measured") has no key.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "myna/core_export.hpp"
#include "myna/export/writer.hpp"

namespace myna {

struct JsonLinesOptions {
  FieldNames keys = FieldNames::english;  ///< object keys from the catalog
};

/// One record as a JSON object (no line end): a member per present item (an unparsed value as
/// the text received, repaired where it was not UTF-8; valid numbers as JSON numbers), then
/// when the record has them "issues": [{"item", "name", "kind"}…] and "extra_items":
/// [{"item", "key", "value"}…] (keys that are no item, later values of repeated items).
/// Always valid JSON and valid UTF-8.
template <class R>
MYNA_CORE_API std::string to_json_object(const R& record, const JsonLinesOptions& options = {});

/// A writer of one JSON object per line to `out` (which must outlive the writer).
template <class R>
MYNA_CORE_API std::unique_ptr<RecordWriter<R>> make_json_lines_writer(std::ostream& out, JsonLinesOptions options = {});

extern template std::string to_json_object<DrugRecord>(const DrugRecord&, const JsonLinesOptions&);
extern template std::string to_json_object<CheckupRecord>(const CheckupRecord&, const JsonLinesOptions&);
extern template std::string to_json_object<MedicalExpenseRecord>(const MedicalExpenseRecord&, const JsonLinesOptions&);
extern template std::unique_ptr<RecordWriter<DrugRecord>> make_json_lines_writer<DrugRecord>(std::ostream&,
                                                                                             JsonLinesOptions);
extern template std::unique_ptr<RecordWriter<CheckupRecord>> make_json_lines_writer<CheckupRecord>(std::ostream&,
                                                                                                   JsonLinesOptions);
extern template std::unique_ptr<RecordWriter<MedicalExpenseRecord>> make_json_lines_writer<MedicalExpenseRecord>(
    std::ostream&, JsonLinesOptions);

}  // namespace myna
