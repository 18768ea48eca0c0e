#include <cstring>

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "codec/envelope_parser.hpp"
#include "internal/json_string.hpp"

namespace myna::internal {
namespace {

// Recursive parsing is safe: the handler refuses nesting beyond profile.max_depth before the
// parser descends (StartObject/StartArray come first).
constexpr unsigned kParseFlags = rapidjson::kParseNumbersAsStringsFlag;

const char* const kHeaderFields[] = {"telegramId", "telegramType", "mode", "processId", "errorCode"};

std::string* header_field(CommonHeader& h, std::string_view key) {
  if (key == "telegramId") return &h.telegram_id;
  if (key == "telegramType") return &h.telegram_type;
  if (key == "mode") return &h.mode;
  if (key == "processId") return &h.process_id;
  if (key == "errorCode") return &h.error_code;
  return nullptr;
}

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Tracks the path to depth 2 and collects the envelope fields.
class EnvelopeHandler {
 public:
  EnvelopeHandler(OuterStream& stream, ValueBudget& budget, const Profile& profile, Envelope& out,
                  const PayloadParser* payload)
      : stream_(stream), budget_(budget), profile_(profile), out_(out), payload_(payload) {}

  bool Null() { return scalar("null", nullptr, 0); }
  bool Bool(bool) { return scalar("boolean", nullptr, 0); }
  bool Int(int) { return scalar("number", nullptr, 0); }
  bool Uint(unsigned) { return scalar("number", nullptr, 0); }
  bool Int64(std::int64_t) { return scalar("number", nullptr, 0); }
  bool Uint64(std::uint64_t) { return scalar("number", nullptr, 0); }
  bool Double(double) { return scalar("number", nullptr, 0); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return scalar("number", nullptr, 0); }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (n > profile_.max_value_bytes) return fail("", value_too_long_message(profile_.max_value_bytes));
    return scalar("string", s, n);
  }

  bool Key(const char* s, rapidjson::SizeType n, bool) {
    budget_.reset();
    if (n > profile_.max_value_bytes) return fail("", value_too_long_message(profile_.max_value_bytes));
    std::string_view key(s, n);
    if (depth_ == 1) k1_.assign(key);
    if (depth_ == 2) k2_.assign(key);
    if (payload_ && depth_ == 2 && k1_ == "selfPersonalDataProvisionInfo" && key == "selfPersonalData")
      return take_over_payload();
    return true;
  }

  bool StartObject() { return open("object", true); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open("array", false); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  std::optional<Error>& error() { return error_; }

 private:
  bool open(const char* type, bool object) {
    budget_.reset();
    if (depth_ == 0 && !object) return fail("", "the telegram must be a JSON object");
    if (!check_value_type(type, object, false)) return false;
    if (depth_ == 1 && k1_ == "commonHeader") out_.header_seen = true;
    if (++depth_ > profile_.max_depth)
      return fail("", "JSON nesting is deeper than " + std::to_string(profile_.max_depth));
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  // Known fields must have the right JSON type.
  bool check_value_type(const char* type, bool object, bool string) {
    if (depth_ == 1 && k1_ == "commonHeader" && !object)
      return fail("commonHeader", std::string("must be a JSON object, not ") + type);
    if (depth_ == 1 && (k1_ == "selfProvisionDataReqInfo" || k1_ == "selfPersonalDataProvisionInfo") && !object)
      return fail(k1_, std::string("must be a JSON object, not ") + type);
    if (depth_ == 2 && !string && known_string_field())
      return fail(path(), std::string("must be a JSON string, not ") + type);
    return true;
  }

  bool known_string_field() const {
    if (k1_ == "commonHeader") return header_field(out_.header, k2_) != nullptr;
    if (k1_ == "selfProvisionDataReqInfo") return k2_ == "inquiryCondition";
    if (k1_ == "selfPersonalDataProvisionInfo") return k2_ == "selfPersonalData";
    return false;
  }

  bool scalar(const char* type, const char* s, std::size_t n) {
    budget_.reset();
    if (depth_ == 0) return fail("", "the telegram must be a JSON object");
    if (!check_value_type(type, false, s != nullptr)) return false;
    if (depth_ != 2 || !known_string_field()) return true;
    if (k1_ == "commonHeader") {
      header_field(out_.header, k2_)->assign(s, n);
      seen_fields_ |= 1u << field_bit(k2_);
    } else if (k1_ == "selfProvisionDataReqInfo") {
      out_.inquiry_condition = std::string(s, n);
    } else if (!payload_consumed_) {
      out_.payload_seen = true;  // payload present but read as a plain string (no payload parser)
    }
    return true;
  }

  static unsigned field_bit(std::string_view key) {
    for (unsigned i = 0; i < 5; ++i)
      if (key == kHeaderFields[i]) return i;
    return 31;
  }

  // Reads the payload string in place: the inner parser consumes it from the cursor, then
  // the envelope parser is shown `:""` and continues after the string.
  bool take_over_payload() {
    while (is_ws(stream_.Peek())) stream_.Take();
    if (stream_.Peek() != ':') return true;  // let the envelope parser report the syntax error
    stream_.Take();
    while (is_ws(stream_.Peek())) stream_.Take();
    if (stream_.Peek() != '"') {
      stream_.inject(":");
      return true;  // not a string: check_value_type reports it
    }
    stream_.Take();
    budget_.reset();
    Status st = (*payload_)(stream_.cursor(), budget_);
    if (!st) {
      error_ = std::move(st).error();
      return false;
    }
    payload_consumed_ = true;
    out_.payload_seen = true;
    budget_.reset();
    stream_.inject(":\"\"");
    return true;
  }

  std::string path() const { return k1_ + "." + k2_; }

  bool fail(const std::string& field, const std::string& what) {
    error_ = envelope_error(field, what, stream_.cursor().offset());
    return false;
  }

 public:
  unsigned seen_fields_ = 0;

 private:
  OuterStream& stream_;
  ValueBudget& budget_;
  const Profile& profile_;
  Envelope& out_;
  const PayloadParser* payload_;
  std::string k1_, k2_;
  std::size_t depth_ = 0;
  bool payload_consumed_ = false;
  std::optional<Error> error_;
};

}  // namespace

Error envelope_error(const std::string& field, const std::string& what, std::uint64_t offset) {
  DecodeLocation loc;
  loc.envelope_field = field;
  loc.byte_offset = offset;
  std::string msg = field.empty() ? "telegram: " + what : "telegram field " + field + ": " + what;
  return Error(ErrorCategory::decode, std::move(msg)).with_location(std::move(loc));
}

Error payload_syntax_error(const char* message, std::size_t offset, PayloadStream::End end, const ByteCursor& cursor,
                           std::size_t value_limit) {
  using End = PayloadStream::End;
  if (cursor.source_error()) return *cursor.source_error();
  std::string what;
  switch (end) {
    case End::truncated: what = "the body ends inside the payload (truncated)"; break;
    case End::bad_escape: what = "selfPersonalData is not a valid JSON string (bad escape)"; break;
    case End::control_char: what = "selfPersonalData contains an unescaped control character"; break;
    case End::too_long: what = value_too_long_message(value_limit); break;
    default:
      what = std::string("the payload is not valid JSON: ") + message + " at body offset " + std::to_string(offset);
  }
  DecodeLocation loc;
  loc.envelope_field = "selfPersonalDataProvisionInfo.selfPersonalData";
  loc.byte_offset = offset;  // where the payload stream stopped (the cursor lags behind it)
  return Error(ErrorCategory::decode, std::move(what)).with_location(std::move(loc));
}

Status parse_envelope(ByteCursor& cursor, const Profile& profile, Envelope& out, const PayloadParser* payload) {
  ValueBudget budget{profile.max_value_bytes};
  OuterStream stream(cursor, budget);
  while (is_ws(stream.Peek())) stream.Take();
  if (stream.Peek() == '\0') {
    if (cursor.source_error()) return *cursor.source_error();
    return envelope_error("", "the body is empty");
  }
  EnvelopeHandler handler(stream, budget, profile, out, payload);
  rapidjson::Reader reader;
  rapidjson::ParseResult ok = reader.Parse<kParseFlags>(stream, handler);
  if (handler.error()) return *handler.error();
  if (!ok) {
    if (cursor.source_error()) return *cursor.source_error();
    if (budget.exceeded) return envelope_error("", value_too_long_message(profile.max_value_bytes), ok.Offset());
    return envelope_error("",
                          std::string("not valid JSON: ") + rapidjson::GetParseError_En(ok.Code()) + " at offset " +
                              std::to_string(ok.Offset()),
                          ok.Offset());
  }
  if (!out.header_seen) return envelope_error("commonHeader", "is missing");
  for (unsigned i = 0; i < 5; ++i)
    if (!(handler.seen_fields_ & (1u << i)))
      return envelope_error(std::string("commonHeader.") + kHeaderFields[i], "is missing");
  return {};
}

}  // namespace myna::internal

namespace myna::codec {

// ---------------------------------------------------------------- small telegrams

namespace {
void append_header(std::string& out, const CommonHeader& h) {
  out += "\"commonHeader\":{\"telegramId\":";
  internal::append_json_string(out, h.telegram_id);
  out += ",\"telegramType\":";
  internal::append_json_string(out, h.telegram_type);
  out += ",\"mode\":";
  internal::append_json_string(out, h.mode);
  out += ",\"processId\":";
  internal::append_json_string(out, h.process_id);
  out += ",\"errorCode\":";
  internal::append_json_string(out, h.error_code);
  out += '}';
}
}  // namespace

std::string encode_header(const CommonHeader& header) {
  std::string out = "{";
  append_header(out, header);
  out += '}';
  return out;
}

std::string encode_request(const RequestTelegram& t) {
  std::string out = "{";
  append_header(out, t.header);
  out += ",\"selfProvisionDataReqInfo\":{\"inquiryCondition\":";
  internal::append_json_string(out, t.inquiry_condition);
  out += "}}";
  return out;
}

Result<CommonHeader> decode_header(std::string_view body, const Profile& profile) {
  internal::ByteCursor cursor(body);
  internal::Envelope env;
  if (auto st = internal::parse_envelope(cursor, profile, env, nullptr); !st) return std::move(st).error();
  return std::move(env.header);
}

Result<RequestTelegram> decode_request(std::string_view body, const Profile& profile) {
  internal::ByteCursor cursor(body);
  internal::Envelope env;
  if (auto st = internal::parse_envelope(cursor, profile, env, nullptr); !st) return std::move(st).error();
  if (!env.inquiry_condition)
    return internal::envelope_error("selfProvisionDataReqInfo.inquiryCondition", "is missing");
  return RequestTelegram{std::move(env.header), std::move(*env.inquiry_condition)};
}

Status check_service_error(const CommonHeader& header, const Profile& profile) {
  if (header.error_code == profile.success_code) return {};
  for (const auto& code : profile.error_codes)
    if (code.code == header.error_code)
      return Error(code.category, "the service answered " + code.meaning).with_service_code(header.error_code);
  std::string shown = header.error_code.substr(0, 16);
  return Error(ErrorCategory::protocol, "the service answered an unknown error code")
      .with_service_code(std::move(shown));
}

}  // namespace myna::codec
