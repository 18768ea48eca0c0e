#include "myna/export/json_lines.hpp"

#include <ostream>

#include "export/stream_status.hpp"
#include "internal/json_string.hpp"

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

template <class R>
std::string to_json_object(const R& record, const JsonLinesOptions& options) {
  std::string out = "{";
  for (const FieldInfo& f : catalog<R>()) {
    ConstFieldRef ref = f.of(record);
    if (!has_value(ref)) continue;  // absent: no key
    if (out.size() > 1) out += ',';
    internal::append_json_string(out, field_name(f, options.keys));
    out += ':';
    if (is_number(ref.kind)) out += to_wire_text(ref);
    else internal::append_json_string(out, export_text(ref));
  }
  return out + "}";
}

template <class R>
std::unique_ptr<RecordWriter<R>> make_json_lines_writer(std::ostream& out, JsonLinesOptions options) {
  return std::make_unique<JsonLinesWriter<R>>(out, options);
}

#define MYNA_JSONL_INSTANTIATE(R)                                                   \
  template std::string to_json_object<R>(const R&, const JsonLinesOptions&);        \
  template std::unique_ptr<RecordWriter<R>> make_json_lines_writer<R>(std::ostream&, JsonLinesOptions);

MYNA_JSONL_INSTANTIATE(DrugRecord)
MYNA_JSONL_INSTANTIATE(CheckupRecord)
MYNA_JSONL_INSTANTIATE(MedicalExpenseRecord)
#undef MYNA_JSONL_INSTANTIATE

}  // namespace myna
