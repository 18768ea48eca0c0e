#include "records/field_values.hpp"

#include "internal/utf8.hpp"

namespace myna::internal {
namespace {

bool is_numeric(ValueKind kind) noexcept {
  return kind == ValueKind::decimal || kind == ValueKind::count || kind == ValueKind::yen;
}

// A string that is not valid UTF-8 (or keeps unpaired surrogate escapes): text is repaired,
// any other kind is unparsed. Both keep the received bytes.
ValueIssues store_broken_string(FieldRef ref, const ReceivedValue& value) {
  ValueIssues issues;
  issues.add(IssueKind::text_repaired);
  if (ref.kind == ValueKind::text) {
    const std::string repaired =
        value.unpaired_escapes ? replace_surrogate_escapes(value.text) : repair_utf8(value.text);
    *static_cast<Text*>(ref.ptr) = Text::repaired(repaired, value.text, value.unpaired_escapes);
  } else {
    assign_unparsed(ref, value.text);
  }
  return issues;
}

// The typed value of a text with its range issues; false (nothing stored) when the text is
// no valid value of the field.
bool store_typed(const FieldInfo& info, FieldRef ref, std::string_view text, ValueIssues& issues) {
  if (!try_assign_wire_text(info, ref, text)) return false;
  if (ref.kind == ValueKind::decimal || ref.kind == ValueKind::count) {
    const ValueIssues range = range_issues(info, ConstFieldRef{ref.kind, ref.ptr});
    for (std::uint8_t i = 0; i < range.count; ++i) issues.add(range.kinds[i]);
  }
  return true;
}

// The typed value of a text, or unparsed_value (the text is kept as received).
void store_text(const FieldInfo& info, FieldRef ref, std::string_view text, ValueIssues& issues) {
  if (ref.kind == ValueKind::text) {
    *static_cast<Text*>(ref.ptr) = Text(text);
    return;
  }
  if (store_typed(info, ref, text, issues)) return;
  assign_unparsed(ref, text);
  issues.add(IssueKind::unparsed_value);
}

}  // namespace

ValueIssues range_issues(const FieldInfo& info, ConstFieldRef ref) noexcept {
  ValueIssues issues;
  if (ref.kind == ValueKind::count) {
    if (static_cast<const Count*>(ref.ptr)->negative() && !info.negative_expected) issues.add(IssueKind::out_of_range);
  } else if (ref.kind == ValueKind::decimal) {
    const auto& d = *static_cast<const Decimal*>(ref.ptr);
    if (d.negative() && !info.negative_expected) {
      issues.add(IssueKind::out_of_range);
    } else if (info.has_range) {
      const double v = d.to_double();
      if (v < info.range_min || v > info.range_max) issues.add(IssueKind::out_of_range);
    }
  }
  return issues;
}

ValueIssues store_value(const FieldInfo& info, FieldRef ref, const ReceivedValue& value) {
  ValueIssues issues;
  switch (value.kind) {
    case JsonKind::null: return issues;  // absent: 未測定・該当なし
    case JsonKind::boolean:
    case JsonKind::object:
    case JsonKind::array:
      assign_unparsed(ref, value.text);
      issues.add(IssueKind::wrong_json_type);
      return issues;
    case JsonKind::number:
      if (!is_numeric(ref.kind)) issues.add(IssueKind::wrong_json_type);
      store_text(info, ref, value.text, issues);
      return issues;
    case JsonKind::string: break;
  }
  if (value.text.empty() && value.empty_is_absent && ref.kind != ValueKind::text) return issues;
  // Valid dates, numbers and codes are ASCII: parse first, check UTF-8 only when that fails.
  if (ref.kind != ValueKind::text && !value.unpaired_escapes && store_typed(info, ref, value.text, issues))
    return issues;
  if (value.unpaired_escapes || !is_valid_utf8(value.text)) return store_broken_string(ref, value);
  store_text(info, ref, value.text, issues);
  return issues;
}

}  // namespace myna::internal
