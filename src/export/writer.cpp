#include "myna/export/writer.hpp"

#include <ostream>
#include <sstream>
#include <string>

#include "export/stream_status.hpp"
#include "internal/json_string.hpp"
#include "internal/utf8.hpp"

namespace myna {

namespace {
std::string export_text_unchecked(ConstFieldRef ref) {
  if (auto received = unparsed_text(ref)) {
    // Repaired text: its value. Anything else as received (repaired below where the bytes
    // are not UTF-8; the record's text_repaired issue says so).
    if (ref.kind == ValueKind::text && static_cast<const Text*>(ref.ptr)->has_value())
      return std::string(static_cast<const Text*>(ref.ptr)->view());
    return std::string(*received);
  }
  if (ref.kind == ValueKind::coded) return to_wire_text(ref);
  return to_display_text(ref);  // dates YYYY-MM-DD, year-months YYYY-MM, the rest as on the wire
}
}  // namespace

std::string export_text(ConstFieldRef ref) {
  std::string text = export_text_unchecked(ref);
  return internal::is_valid_utf8(text) ? text : internal::repair_utf8(text);
}

std::string issues_text(const Issues& issues) {
  std::ostringstream out;
  out << issues;
  return out.str();
}

std::string extra_items_json(const Issues& issues) {
  if (issues.extra_count() == 0) return {};
  std::string out = "[";
  for (const ExtraItem* x = issues.extra_begin(); x != issues.extra_end(); ++x) {
    if (out.size() > 1) out += ',';
    out += "{\"item\":" + std::to_string(x->item_number) + ",\"key\":";
    internal::append_json_string(out, internal::repair_utf8(x->key.view()));
    out += ",\"value\":";
    internal::append_json_string(out, internal::repair_utf8(x->text.view()));
    out += '}';
  }
  return out + "]";
}

namespace internal {
Status check_stream(const std::ostream& out, std::string_view what) {
  if (out) return {};
  return Error(ErrorCategory::storage,
               "writing " + std::string(what) + " failed (disk full or output closed?); check the output file");
}
}  // namespace internal

}  // namespace myna
