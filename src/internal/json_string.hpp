// A string as a JSON string literal: the one escaper of the SDK for JSON it writes by hand
// (small telegrams, stored files, exports; internal header).
#pragma once

#include <string>
#include <string_view>

namespace myna::internal {

/// Appends s as the body of a JSON string literal (without quotes) to out. Bytes are copied as
/// they are (the caller passes UTF-8); quotes, backslashes and control characters are escaped.
inline void append_json_string_body(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
}

/// Appends s as a JSON string literal (with quotes) to out.
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_string_body(out, s);
  out += '"';
}

}  // namespace myna::internal
