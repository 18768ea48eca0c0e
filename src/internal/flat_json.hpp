// Reads a flat JSON object (token responses, token files, retrieval files) with RapidJSON's
// SAX Reader, in situ, so secrets are decoded inside the caller's buffer (which the caller
// wipes) rather than in the parser's own memory. Internal header.
#pragma once

#include <rapidjson/reader.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

namespace myna::internal {

/// One top-level member value. Nested objects/arrays are reported as `nested` (their
/// content is skipped).
struct FlatValue {
  enum class Kind { null, boolean, integer, real, string, nested } kind = Kind::null;
  bool boolean = false;
  std::int64_t integer = 0;
  std::string_view text;
};

/// Called for each top-level member; returns false to stop (the caller records why).
using FlatMemberFn = std::function<bool(std::string_view key, const FlatValue& value)>;

enum class FlatParse { ok, malformed, not_object, stopped };

/// The required members of a stored file (token, retrieval) met so far, one bit each.
class RequiredMembers {
 public:
  explicit RequiredMembers(int count) : all_((1 << count) - 1) {}
  /// Records member `index` (0-based); true, so that it chains after a successful read.
  bool mark(int index) noexcept {
    seen_ |= 1 << index;
    return true;
  }
  bool complete() const noexcept { return seen_ == all_; }

 private:
  int all_;
  int seen_ = 0;
};

/// The "version" member of a stored file: the integer `expected`.
inline bool is_version(const FlatValue& v, std::int64_t expected) noexcept {
  return v.kind == FlatValue::Kind::integer && v.integer == expected;
}

/// A string member copied into `out`.
inline bool read_string(const FlatValue& v, std::string& out) {
  if (v.kind != FlatValue::Kind::string) return false;
  out.assign(v.text);
  return true;
}

namespace flat_json {

class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
 public:
  explicit Handler(const FlatMemberFn& fn) : fn_(fn) {}

  bool Null() { return scalar({}); }
  bool Bool(bool b) {
    FlatValue v{FlatValue::Kind::boolean, b, 0, {}};
    return scalar(v);
  }
  bool Int(int i) { return integer(i); }
  bool Uint(unsigned u) { return integer(u); }
  bool Int64(std::int64_t i) { return integer(i); }
  bool Uint64(std::uint64_t u) {
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return real();
    return integer(static_cast<std::int64_t>(u));
  }
  bool Double(double) { return real(); }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    FlatValue v{FlatValue::Kind::string, false, 0, std::string_view(s, len)};
    return scalar(v);
  }
  bool StartObject() { return open(); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() {
    if (depth_ == 0) not_object_ = true;
    return !not_object_ && open();
  }
  bool EndArray(rapidjson::SizeType) { return close(); }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (depth_ == 1) key_ = std::string_view(s, len);
    return true;
  }

  bool not_object_ = false;
  bool stopped_ = false;

 private:
  bool integer(std::int64_t i) {
    FlatValue v{FlatValue::Kind::integer, false, i, {}};
    return scalar(v);
  }
  bool real() {
    FlatValue v{FlatValue::Kind::real, false, 0, {}};
    return scalar(v);
  }
  bool scalar(const FlatValue& v) {
    if (depth_ == 0) {
      not_object_ = true;
      return false;
    }
    return depth_ == 1 ? emit(v) : true;
  }
  bool open() {
    if (depth_ == 1) {
      FlatValue v{FlatValue::Kind::nested, false, 0, {}};
      if (!emit(v)) return false;
    }
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  bool emit(const FlatValue& v) {
    if (fn_(key_, v)) return true;
    stopped_ = true;
    return false;
  }

  const FlatMemberFn& fn_;
  int depth_ = 0;
  std::string_view key_;
};

}  // namespace flat_json

/// Parses buffer (modified in place: the caller owns it and wipes it when it held secrets).
/// String views handed to fn point into buffer. Depth is unbounded but parsing is iterative.
inline FlatParse parse_flat_object(std::string& buffer, const FlatMemberFn& fn) {
  if (buffer.find('\0') != std::string::npos) return FlatParse::malformed;
  // RapidJSON 1.1.0 validates UTF-8 by taking all continuation bytes a lead byte announces:
  // a multi-byte character cut off by the end of the buffer makes it read (and, in situ,
  // write) past the terminating NUL (Tencent/rapidjson#1636). A JSON object ends with '}'
  // and ASCII whitespace, so a non-ASCII byte among the last two bytes is malformed anyway.
  const std::size_t n = buffer.size();
  for (std::size_t i = n < 2 ? 0 : n - 2; i < n; ++i)
    if (static_cast<unsigned char>(buffer[i]) >= 0x80) return FlatParse::malformed;
  flat_json::Handler handler(fn);
  rapidjson::InsituStringStream stream(buffer.data());
  rapidjson::Reader reader;
  constexpr unsigned flags =
      rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  const rapidjson::ParseResult result = reader.Parse<flags>(stream, handler);
  if (handler.stopped_) return FlatParse::stopped;
  if (handler.not_object_) return FlatParse::not_object;
  return result.IsError() ? FlatParse::malformed : FlatParse::ok;
}

}  // namespace myna::internal
