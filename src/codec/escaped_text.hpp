// Reading the embedded payload where it lies, inside the envelope's JSON string (internal):
// the payload's own characters arrive as the string's plain bytes or as its escapes (its
// quotes as \", its backslashes as \\). These helpers decode one payload character at a time
// and find the end of plain runs a block at a time. They accept exactly what PayloadStream
// accepts and stop where it stops (control character, bad or NUL escape, the string's end).
#pragma once

#include <cstddef>
#include <cstring>

#include "codec/byte_scan.hpp"

namespace myna::internal {

/// The first byte in [p, end) that is '"', '\\' or a control character, or end.
MYNA_FORCE_INLINE const char* find_special(const char* p, const char* end) noexcept {
  for (; static_cast<std::size_t>(end - p) >= kBlock; p += kBlock)
    if (std::size_t i = scan_block(p); i < kBlock) return p + i;
  while (p != end && is_plain(*p)) ++p;
  return p;
}

/// What take_unit found.
enum class Unit : signed char { error = -1, end = 0 };

/// Four hexadecimal digits at p (bounded by end) as a number, or -1.
inline int hex4_bounded(const char* p, const char* end) noexcept {
  if (end - p < 4) return -1;
  int v = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = hex_digit(p[i]);
    if (digit < 0) return -1;
    v = v << 4 | digit;
  }
  return v;
}

/// One payload character at p: an outer plain byte or an outer escape, written to out (1-4
/// bytes of UTF-8); p moves past it. Returns the number of bytes, 0 at the outer string's
/// closing quote (p stays on it), -1 for what ends the payload with an error: a control
/// character, a bad, lone-surrogate or NUL escape, the end of the body.
inline int take_unit(const char*& p, const char* end, char* out) noexcept {
  if (p == end) return -1;
  const char c = *p;
  if (c == '"') return 0;
  if (static_cast<unsigned char>(c) < 0x20) return -1;
  ++p;
  if (c != '\\') return out[0] = c, 1;
  if (p == end) return -1;
  switch (*p++) {
    case '"': return out[0] = '"', 1;
    case '\\': return out[0] = '\\', 1;
    case '/': return out[0] = '/', 1;
    case 'b': return out[0] = '\b', 1;
    case 'f': return out[0] = '\f', 1;
    case 'n': return out[0] = '\n', 1;
    case 'r': return out[0] = '\r', 1;
    case 't': return out[0] = '\t', 1;
    case 'u': break;
    default: return -1;
  }
  int cp = hex4_bounded(p, end);
  if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return -1;  // bad, NUL, lone low surrogate
  p += 4;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (end - p < 6 || p[0] != '\\' || p[1] != 'u') return -1;
    const int lo = hex4_bounded(p + 2, end);
    if (lo < 0xDC00 || lo > 0xDFFF) return -1;
    p += 6;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  }
  return encode_utf8(static_cast<unsigned>(cp), out);
}

/// A payload character that must be a single byte (structure, escapes, numbers): the byte,
/// or -1 (end of the string, error, or a multi-byte character).
inline int take_byte(const char*& p, const char* end) noexcept {
  char out[4];
  return take_unit(p, end, out) == 1 ? static_cast<unsigned char>(out[0]) : -1;
}

}  // namespace myna::internal
