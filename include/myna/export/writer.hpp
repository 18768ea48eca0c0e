// The common shape of the exporters: a RecordWriter takes records one at a time and writes
// them to a std::ostream (CSV, JSON Lines, FHIR Bundle). See docs/export.md.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string_view>
#include <vector>

#include "myna/core_export.hpp"
#include "myna/error.hpp"
#include "myna/records.hpp"

namespace myna {

/// Which catalog name labels a column or a key.
enum class FieldNames : std::uint8_t {
  japanese,  ///< 項目名 as in the guideline, e.g. "調剤日"
  english,   ///< the catalog's English identifier, e.g. "dispensing_date"
};

/// Writes records of one type to a stream, one at a time (bounded memory). Not thread-safe:
/// a writer and its stream belong to one thread at a time (use one writer per output).
template <class R>
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  /// Writes one record; a storage error when the stream fails.
  virtual Status write(const R& record) = 0;
  /// Completes the output (a CSV header with no rows, the end of a Bundle) and flushes.
  /// Call once, after the last write.
  virtual Status finish() = 0;
};

/// Writes all records then finishes.
template <class R>
Status write_all(RecordWriter<R>& writer, const std::vector<R>& records) {
  for (const R& record : records)
    if (Status st = writer.write(record); !st) return st;
  return writer.finish();
}

/// The text of a field in exports: "" when absent; dates YYYY-MM-DD, year-months YYYY-MM,
/// decimals exact (with their comparator), codes with their leading zeros, coded answers as
/// their code; an unparsed value the text as received (repaired text: its value). Always
/// valid UTF-8 (invalid bytes become U+FFFD).
MYNA_CORE_API std::string export_text(ConstFieldRef ref);
/// A record's issues as one line: "item 117 喫煙: unknown_code; item 0: unknown_item" (never
/// a value); "" when there are none.
MYNA_CORE_API std::string issues_text(const Issues& issues);
/// A record's extra items (keys that are no item, later values of a repeated item) as a JSON
/// array, `[{"item":0,"key":"備考","value":"…"}]`, key and value as received (repaired to valid
/// UTF-8); "" when there are none.
MYNA_CORE_API std::string extra_items_json(const Issues& issues);

/// The catalog name chosen by `names`.
inline std::string_view field_name(const FieldInfo& field, FieldNames names) noexcept {
  return names == FieldNames::japanese ? field.ja : field.en;
}

}  // namespace myna
