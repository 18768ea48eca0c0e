#include "myna/export/csv.hpp"

#include <ostream>

#include "export/stream_status.hpp"

namespace myna {
namespace {

bool needs_quotes(std::string_view text) { return text.find_first_of(",\"\r\n") != std::string_view::npos; }

template <class R>
class CsvWriter final : public RecordWriter<R> {
 public:
  CsvWriter(std::ostream& out, CsvOptions options) : out_(out), options_(options) {}

  Status write(const R& record) override {
    start();
    out_ << csv_row(record);
    return internal::check_stream(out_, "a CSV row");
  }
  Status finish() override {
    start();
    out_.flush();
    return internal::check_stream(out_, "the CSV file");
  }

 private:
  void start() {
    if (started_) return;
    started_ = true;
    if (options_.bom) out_ << kUtf8Bom;
    if (options_.header_row) out_ << csv_header<R>(options_);
  }

  std::ostream& out_;
  CsvOptions options_;
  bool started_ = false;
};

Error malformed(std::size_t offset, const char* what) {
  return Error(ErrorCategory::validation, std::string("CSV: ") + what + " at byte " + std::to_string(offset));
}

/// Reads a quoted field starting after its opening quote; pos ends after the closing quote.
Result<std::string> read_quoted(std::string_view text, std::size_t& pos) {
  std::string value;
  const std::size_t start = pos - 1;
  while (pos < text.size()) {
    char c = text[pos++];
    if (c != '"') {
      value += c;
    } else if (pos < text.size() && text[pos] == '"') {
      value += '"';
      ++pos;
    } else {
      return value;
    }
  }
  return malformed(start, "unterminated quoted field");
}

}  // namespace

void append_csv_field(std::string& out, std::string_view text, bool quote) {
  if (!quote && !needs_quotes(text)) {
    out.append(text);
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

template <class R>
std::string csv_header(const CsvOptions& options) {
  std::string out;
  for (const FieldInfo& f : catalog<R>()) {
    if (!out.empty()) out += ',';
    append_csv_field(out, field_name(f, options.header));
  }
  return out + "," + std::string(kCsvIssuesColumn) + "," + std::string(kCsvExtraItemsColumn) + "\r\n";
}

template <class R>
std::string csv_row(const R& record) {
  std::string out;
  bool first = true;
  for (const FieldInfo& f : catalog<R>()) {
    if (!first) out += ',';
    first = false;
    ConstFieldRef ref = f.of(record);
    if (!present(ref)) continue;                // absent: an empty, unquoted field
    std::string text = export_text(ref);        // unparsed values: the text as received
    append_csv_field(out, text, text.empty());  // present but empty: ""
  }
  out += ',';
  append_csv_field(out, issues_text(record.issues));
  out += ',';
  append_csv_field(out, extra_items_json(record.issues));
  return out + "\r\n";
}

template <class R>
std::unique_ptr<RecordWriter<R>> make_csv_writer(std::ostream& out, CsvOptions options) {
  return std::make_unique<CsvWriter<R>>(out, options);
}

template <class R>
std::string to_csv(const std::vector<R>& records, const CsvOptions& options) {
  std::string out;
  if (options.bom) out += kUtf8Bom;
  if (options.header_row) out += csv_header<R>(options);
  for (const R& r : records) out += csv_row(r);
  return out;
}

Result<std::vector<CsvField>> read_csv_row(std::string_view text, std::size_t& pos) {
  std::vector<CsvField> row;
  while (true) {
    CsvField field;
    if (pos < text.size() && text[pos] == '"') {
      ++pos;
      auto quoted = read_quoted(text, pos);
      if (!quoted) return std::move(quoted).error();
      field = std::move(*quoted);
    } else {
      std::size_t end = text.find_first_of(",\r\n\"", pos);
      if (end == std::string_view::npos) end = text.size();
      if (end < text.size() && text[end] == '"') return malformed(end, "quote inside an unquoted field");
      if (end > pos) field = std::string(text.substr(pos, end - pos));
      pos = end;
    }
    row.push_back(std::move(field));
    if (pos >= text.size()) return row;
    char c = text[pos++];
    if (c == ',') continue;
    if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    if (c == '\r' || c == '\n') return row;
    return malformed(pos - 1, "text after a closing quote");
  }
}

template <class R>
Result<R> record_from_csv_row(const std::vector<CsvField>& row) {
  const auto& fields = catalog<R>();
  if (row.size() < fields.size() || row.size() > fields.size() + 2)  // issues and extra items are optional
    return Error(ErrorCategory::validation, "CSV row has " + std::to_string(row.size()) + " fields, expected " +
                                                std::to_string(fields.size() + 2));
  R record;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!row[i]) continue;
    const FieldInfo& f = fields[i];
    if (row[i]->empty() && f.kind != ValueKind::text)
      return Error(ErrorCategory::validation, "CSV: item " + std::to_string(f.number) + " " + std::string(f.ja) +
                                                  " is an empty string but is not text");
    if (Status st = assign_wire_text(f, f.of(record), *row[i]); !st)
      return Error(ErrorCategory::validation,
                   "CSV: item " + std::to_string(f.number) + " " + std::string(f.ja) + ": " + st.error().message());
  }
  return record;
}

#define MYNA_CSV_INSTANTIATE(R)                                                            \
  template std::string csv_header<R>(const CsvOptions&);                                   \
  template std::string csv_row<R>(const R&);                                               \
  template std::unique_ptr<RecordWriter<R>> make_csv_writer<R>(std::ostream&, CsvOptions); \
  template std::string to_csv<R>(const std::vector<R>&, const CsvOptions&);                \
  template Result<R> record_from_csv_row<R>(const std::vector<CsvField>&);

MYNA_CSV_INSTANTIATE(DrugRecord)
MYNA_CSV_INSTANTIATE(CheckupRecord)
MYNA_CSV_INSTANTIATE(MedicalExpenseRecord)
#undef MYNA_CSV_INSTANTIATE

}  // namespace myna
