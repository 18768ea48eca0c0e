// Tolerant decoding of record values. The input builds a structurally valid result telegram
// (the record type, then per value: the item, the JSON type, the bytes — strings may hold
// invalid UTF-8, control characters and unpaired surrogate escapes), or is a telegram itself
// when it starts with '{' (the seeds: tests/data/variants/). Properties: lenient decoding of
// a built telegram never fails and loses no record; the streaming decoder agrees with the
// buffer decoder; decode → encode → decode reproduces every value's text; CSV and JSON Lines
// of the records are valid UTF-8 (and JSON Lines valid JSON).
#include <algorithm>

#include <rapidjson/document.h>

#include "fuzz.hpp"
#include "internal/json_string.hpp"
#include "internal/utf8.hpp"
#include "myna/codec/payload.hpp"
#include "myna/export/csv.hpp"
#include "myna/export/json_lines.hpp"

namespace {

using namespace myna;

/// A string body with the content bytes as they are, except what JSON must escape; byte 0x7f
/// followed by a byte >= 0x80 writes an unpaired surrogate escape instead.
void string_body(std::string& out, std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b == 0x7f && i + 1 < bytes.size() && static_cast<unsigned char>(bytes[i + 1]) >= 0x80) {
      out += static_cast<unsigned char>(bytes[++i]) & 1 ? "\\udc00" : "\\ud83d";
    } else if (b == '"' || b == '\\' || b < 0x20) {
      internal::append_json_string_body(out, bytes.substr(i, 1));
    } else {
      out += bytes[i];
    }
  }
}

/// A JSON number from bytes: -?digits(.digits)?(e[+-]?digits)?, of any size: a byte may add
/// 330 digits, so that numbers beyond the range of a double (1e400, 400-digit integers) are
/// made as well; RFC 8259 sets no limit, and the decoder keeps them with their text.
std::string number(std::string_view bytes) {
  std::string out = !bytes.empty() && (bytes[0] & 1) ? "-" : "";
  out += static_cast<char>('0' + (bytes.empty() ? 1 : static_cast<unsigned char>(bytes[0]) % 10));
  for (std::size_t i = 1; i < bytes.size() && i < 20; ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    const bool leading_zero = out == "0" || out == "-0";
    const bool exponent = out.find_first_of("eE") != std::string::npos;
    if (b % 17 == 0 && out.find('.') == std::string::npos && !exponent)
      out += ".0";
    else if (b % 29 == 0 && !exponent)
      out += b & 32 ? "E+4" : "e1";
    else if (b % 31 == 0 && !leading_zero)
      out.append(330, static_cast<char>('1' + b % 9));
    else if (!leading_zero)
      out += static_cast<char>('0' + b % 10);
  }
  return out;
}

/// One value of the given JSON type (0 string, 1 number, 2 literal, 3 null, 4 object, 5 array).
std::string value(unsigned type, std::string_view bytes) {
  std::string out;
  switch (type % 6) {
    case 1: return number(bytes);
    case 2: return bytes.size() % 2 ? "true" : "false";
    case 3: return "null";
    case 4:
      out = "{\"v\":\"";
      string_body(out, bytes);
      return out + "\",\"n\":[1,2]}";
    case 5:
      out = "[\"";
      string_body(out, bytes);
      return out + "\",null]";
    default:
      out = "\"";
      string_body(out, bytes);
      return out + "\"";
  }
}

template <class R>
std::string build_payload(fuzz::Bytes& in, std::size_t& records) {
  const auto& fields = catalog<R>();
  std::string out =
      "[{\"" + std::string(kDefaultProviderOrg) + "\":{\"" + Profile().payload_key(RecordTraits<R>::type) + "\":[";
  records = 1 + in.byte() % 4;
  for (std::size_t r = 0; r < records; ++r) {
    out += r ? ",{" : "{";
    const std::size_t items = in.byte() % 24;
    for (std::size_t i = 0; i < items; ++i) {
      const std::uint8_t which = in.byte();
      const std::uint8_t type = in.byte();
      const std::size_t n = in.byte() % 24;
      std::string_view bytes = in.rest().substr(0, n);
      for (std::size_t k = 0; k < bytes.size(); ++k) in.byte();
      out += i ? ",\"" : "\"";
      string_body(out,
                  which < fields.size() ? std::string(fields[which].ja) : "未知の項目" + std::to_string(which % 3));
      out += "\":" + value(type, bytes);
    }
    out += '}';
  }
  return out + "]}}]";
}

std::string telegram(std::string_view payload) {
  std::string out =
      R"J({"commonHeader":{"telegramId":"TL-00000086-240701093000-0001","telegramType":"IFA0303-S01","mode":"1","processId":"PRC00000000000000001","errorCode":""},"selfPersonalDataProvisionInfo":{"selfPersonalData":")J";
  internal::append_json_string_body(out, payload);
  return out + "\"}}";
}

class Chunks : public ByteSource {
 public:
  Chunks(std::string_view body, std::size_t size) : body_(body), size_(size) {}
  Result<std::string_view> next() override {
    std::string_view chunk = body_.substr(0, size_);
    body_.remove_prefix(chunk.size());
    copy_.assign(chunk);
    return std::string_view(copy_);
  }

 private:
  std::string_view body_;
  std::size_t size_;
  std::string copy_;
};

template <class R>
void check_exports(const R& record) {
  const std::string line = to_json_object(record);
  if (!internal::is_valid_utf8(line)) fuzz::fail("a JSON line is not valid UTF-8");
  rapidjson::Document doc;
  if (doc.Parse(line.c_str(), line.size()).HasParseError()) fuzz::fail("a JSON line is not valid JSON");
  if (!internal::is_valid_utf8(csv_row(record))) fuzz::fail("a CSV row is not valid UTF-8");
}

template <class R>
void check_records(const std::vector<R>& records, std::string_view body, std::size_t chunk) {
  std::vector<R> streamed;
  CommonHeader header;
  Chunks source(body, chunk);
  const Status st = codec::decode_result<R>(
      source, Profile{}, DecodeOptions{}, [&](R&& r) { return streamed.push_back(std::move(r)), Status(); }, header);
  if (!st) fuzz::fail("the streaming decoder fails where the buffer decoder does not", st.error());
  if (streamed.size() != records.size()) fuzz::fail("streaming and buffer decoders: record count differs");
  for (std::size_t i = 0; i < records.size(); ++i)
    if (!records_equal(streamed[i], records[i]) || streamed[i].issues != records[i].issues)
      fuzz::fail("streaming and buffer decoders: record #" + std::to_string(i) + " differs");
  auto again = codec::decode_result<R>(codec::encode_result(header, records, Profile{}), Profile{});
  if (!again) fuzz::fail("the re-encoded telegram does not decode", again.error());
  if (again->records.size() != records.size()) fuzz::fail("round trip: record count differs");
  const std::vector<R>& back = again->records;
  for (std::size_t i = 0; i < records.size(); ++i) {
    for (const FieldInfo& f : catalog<R>())
      if (to_wire_text(f.of(back[i])) != to_wire_text(f.of(records[i])))
        fuzz::fail("round trip: item " + std::to_string(f.number) + " of record #" + std::to_string(i) +
                   " lost its text");
    const Issues &was = records[i].issues, &now = back[i].issues;
    if (!std::equal(was.extra_begin(), was.extra_end(), now.extra_begin(), now.extra_end(),
                    [](const ExtraItem& a, const ExtraItem& b) { return a.key == b.key && a.text == b.text; }))
      fuzz::fail("round trip: the extra items of record #" + std::to_string(i) + " differ");
    check_exports(records[i]);
  }
}

template <class R>
void built(fuzz::Bytes& in, std::size_t chunk) {
  std::size_t count = 0;
  const std::string body = telegram(build_payload<R>(in, count));
  auto decoded = codec::decode_result<R>(body, Profile{});
  if (!decoded) fuzz::fail("lenient decoding of a structurally valid telegram failed", decoded.error());
  if (decoded->records.size() != count) fuzz::fail("lenient decoding lost a record");
  check_records(decoded->records, body, chunk);
}

template <class R>
void given(std::string_view body, std::size_t chunk) {
  auto decoded = codec::decode_result<R>(body, Profile{});
  if (decoded) check_records(decoded->records, body, chunk);
}

}  // namespace

MYNA_FUZZ_TARGET(values) {
  const std::size_t chunk = 1 + input.size() % 61;
  if (!input.empty() && input[0] == '{') {  // a telegram (seeds: the variant corpus)
    given<DrugRecord>(input, chunk);
    given<CheckupRecord>(input, chunk);
    given<MedicalExpenseRecord>(input, chunk);
    return;
  }
  fuzz::Bytes in(input);
  switch (in.byte() % 3) {
    case 0: built<DrugRecord>(in, chunk); break;
    case 1: built<CheckupRecord>(in, chunk); break;
    default: built<MedicalExpenseRecord>(in, chunk); break;
  }
}
