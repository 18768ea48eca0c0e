// Storing a received value into a record field under the tolerant value rules (internal; the
// decoders' one entry point). A value never fails here: it becomes valid, absent or unparsed,
// and the caller gets the issue kinds to note (docs/records.md "Value rules per item").
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "myna/records/catalog.hpp"
#include "myna/records/issues.hpp"

namespace myna::internal {

/// The JSON type a value arrived as.
enum class JsonKind : std::uint8_t { null, boolean, number, string, object, array };

/// The issue kinds of one value: at most two (wrong_json_type and one more).
struct ValueIssues {
  std::array<IssueKind, 2> kinds{};
  std::uint8_t count = 0;
  void add(IssueKind kind) noexcept {
    if (count < kinds.size()) kinds[count++] = kind;
  }
  bool empty() const noexcept { return count == 0; }
};

/// One received value: its JSON type and text (a string's unescaped bytes, a number's or
/// literal's text, an object's or array's compact JSON text).
struct ReceivedValue {
  JsonKind kind = JsonKind::string;
  std::string_view text;
  bool unpaired_escapes = false;  ///< the string keeps unpaired surrogate escapes as text
  bool empty_is_absent = true;    ///< Profile::empty_is_absent
};

/// Stores the value into the field (which is absent) and returns its issues. Coded answers
/// are stored without period: the decoder reads them at the end of the record.
ValueIssues store_value(const FieldInfo& info, FieldRef ref, const ReceivedValue& value);

/// The issues the rules give a valid number (negative where not expected, outside the range).
ValueIssues range_issues(const FieldInfo& info, ConstFieldRef ref) noexcept;

}  // namespace myna::internal
