// UTF-8 validation and repair (internal). Validation runs over ASCII a block of 16 bytes at a
// time; repair replaces each maximal ill-formed subpart with U+FFFD, exactly as Python's
// bytes.decode('utf-8', 'replace') and the Unicode standard's recommended practice.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace myna::internal {

/// Length of the well-formed UTF-8 sequence at s[i] (1-4), or 0 when it is ill-formed; for an
/// ill-formed one, bad receives the length of its maximal subpart (at least 1).
inline std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& bad) noexcept {
  const auto b = static_cast<unsigned char>(s[i]);
  bad = 1;
  if (b < 0x80) return 1;
  std::size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF)
    need = 1;
  else if (b >= 0xE0 && b <= 0xEF)
    need = 2, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
  else if (b >= 0xF0 && b <= 0xF4)
    need = 3, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
  else
    return 0;
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) return 0;
    const auto c = static_cast<unsigned char>(s[i + k]);
    if (c < lo || c > hi) return 0;
    lo = 0x80, hi = 0xBF;
    bad = k + 1;
  }
  return need + 1;
}

/// True when s is well-formed UTF-8.
inline bool is_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  while (i < s.size()) {
    if (s.size() - i >= 16) {
      std::uint64_t a, b;
      std::memcpy(&a, s.data() + i, 8);
      std::memcpy(&b, s.data() + i + 8, 8);
      if (((a | b) & kHigh) == 0) {
        i += 16;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t bad;
    const std::size_t n = utf8_sequence(s, i, bad);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

/// s with every maximal ill-formed subpart replaced by U+FFFD.
inline std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    std::size_t bad;
    const std::size_t n = utf8_sequence(s, i, bad);
    if (n) {
      out.append(s.data() + i, n);
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      i += bad;
    }
  }
  return out;
}

/// True when s[i..] is a surrogate escape written as text: \uD800 … \uDFFF (either case).
inline bool surrogate_escape_at(std::string_view s, std::size_t i) noexcept {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u' || (s[i + 2] != 'd' && s[i + 2] != 'D')) return false;
  const char c = s[i + 3];
  return ((c >= '8' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) && hex(s[i + 4]) && hex(s[i + 5]);
}

/// s with each surrogate escape kept as text (an unpaired one the decoder met) replaced by
/// U+FFFD, then repaired as UTF-8.
inline std::string replace_surrogate_escapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (surrogate_escape_at(s, i)) {
      out += "\xEF\xBF\xBD";
      i += 6;
    } else {
      out += s[i++];
    }
  }
  return is_valid_utf8(out) ? out : repair_utf8(out);
}

}  // namespace myna::internal
