#include "myna/export/json_lines.hpp"

#include <ostream>

#include "export/stream_status.hpp"
#include "internal/json_string.hpp"
#include "internal/utf8.hpp"

namespace myna {
namespace {

/// Numbers are written as numbers; everything else as a string.
bool is_number(ValueKind kind) {
  return kind == ValueKind::count || kind == ValueKind::yen || kind == ValueKind::decimal;
}

template <class R>
class JsonLinesWriter final : public RecordWriter<R> {
 public:
  JsonLinesWriter(std::ostream& out, JsonLinesOptions options) : out_(out), options_(options) {}
  Status write(const R& record) override {
    out_ << to_json_object(record, options_) << '\n';
    return internal::check_stream(out_, "a JSON line");
  }
  Status finish() override {
    out_.flush();
    return internal::check_stream(out_, "the JSON Lines file");
  }

 private:
  std::ostream& out_;
  JsonLinesOptions options_;
};

}  // namespace

/// A valid number without comparator is written as a JSON number (its canonical text is one).
bool as_json_number(ConstFieldRef ref) {
  if (!is_number(ref.kind) || state(ref) != ValueState::valid) return false;
  return ref.kind != ValueKind::decimal || static_cast<const Decimal*>(ref.ptr)->comparator() == Comparator::none;
}

/// "issues": [{"item": 117, "name": "喫煙", "kind": "unknown_code"}, ...]
void append_issues(std::string& out, const Issues& issues) {
  out += ",\"issues\":[";
  for (const Issue& issue : issues) {
    if (out.back() != '[') out += ',';
    out += "{\"item\":" + std::to_string(issue.item_number) + ",\"name\":";
    internal::append_json_string(out, issue.item_name);
    out += ",\"kind\":";
    internal::append_json_string(out, to_string(issue.kind));
    out += '}';
  }
  out += ']';
}

template <class R>
std::string to_json_object(const R& record, const JsonLinesOptions& options) {
  std::string out = "{";
  for (const FieldInfo& f : catalog<R>()) {
    ConstFieldRef ref = f.of(record);
    if (!present(ref)) continue;  // absent: no key
    if (out.size() > 1) out += ',';
    internal::append_json_string(out, field_name(f, options.keys));
    out += ':';
    if (as_json_number(ref))
      out += to_wire_text(ref);
    else
      internal::append_json_string(out, export_text(ref));  // unparsed: the text as received
  }
  if (!record.issues.empty()) append_issues(out, record.issues);
  if (record.issues.extra_count() > 0) out += ",\"extra_items\":" + extra_items_json(record.issues);
  if (out.size() > 1 && out[1] == ',') out.erase(1, 1);
  return out + "}";
}

template <class R>
std::unique_ptr<RecordWriter<R>> make_json_lines_writer(std::ostream& out, JsonLinesOptions options) {
  return std::make_unique<JsonLinesWriter<R>>(out, options);
}

#define MYNA_JSONL_INSTANTIATE(R)                                            \
  template std::string to_json_object<R>(const R&, const JsonLinesOptions&); \
  template std::unique_ptr<RecordWriter<R>> make_json_lines_writer<R>(std::ostream&, JsonLinesOptions);

MYNA_JSONL_INSTANTIATE(DrugRecord)
MYNA_JSONL_INSTANTIATE(CheckupRecord)
MYNA_JSONL_INSTANTIATE(MedicalExpenseRecord)
#undef MYNA_JSONL_INSTANTIATE

}  // namespace myna
