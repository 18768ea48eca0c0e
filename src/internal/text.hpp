// Small text helpers every layer needs: digit runs, fixed-width numbers, hex digits and ASCII
// case-insensitive comparison (internal header).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace myna::internal {

inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// True when s is non-empty and every character is 0-9.
inline bool all_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

/// The value of the n digits at pos; -1 when they run past the end or one is not a digit.
/// n is at most 9.
inline int digits_at(std::string_view s, std::size_t pos, std::size_t n) noexcept {
  if (pos > s.size() || n > s.size() - pos) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/// The value of a string of at most 18 digits (checked by the caller).
inline std::int64_t digits_value(std::string_view s) noexcept {
  std::int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

/// Appends the last `width` decimal digits of value, zero-padded.
inline void append_digits(std::string& out, std::uint64_t value, int width) {
  char buf[20];
  if (width > 20) width = 20;
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

/// 0-15 for a hex digit (either case), -1 otherwise.
inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// RFC 9110 token character: header names, methods, transfer codings.
inline bool is_token_char(char c) noexcept {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c)) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// s without RFC 9110 optional whitespace (spaces, tabs) at either end.
inline std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// RFC 3986 unreserved: A–Z a–z 0–9 - . _ ~ (kept as they are in URLs).
inline bool is_url_unreserved(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

inline char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool iequal_chars(char a, char b) noexcept { return ascii_lower(a) == ascii_lower(b); }

/// ASCII case-insensitive equality (header names, schemes, host names).
inline bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), iequal_chars);
}

/// ASCII case-insensitive: whether s begins with prefix.
inline bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

/// ASCII case-insensitive substring search.
inline bool icontains(std::string_view haystack, std::string_view needle) noexcept {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), iequal_chars) != haystack.end();
}

}  // namespace myna::internal
