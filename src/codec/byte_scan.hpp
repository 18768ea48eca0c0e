// Word-at-a-time search for the bytes that end plain JSON string text: '"', '\\' and control
// characters (< 0x20). Portable SWAR on 8-byte words (no SIMD intrinsics); big-endian
// targets take a byte loop. Internal.
#pragma once

#include <cstdint>
#include <cstring>

#include "codec/json_streams.hpp"

namespace myna::codec::detail {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
inline constexpr bool kWordScan = true;
#else
inline constexpr bool kWordScan = false;
#endif

inline std::uint64_t load_word(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

/// Bit 7 of a byte of the result is set when that byte of w is special. Exact for the lowest
/// special byte (borrows only run upwards from it), which is all callers use.
inline std::uint64_t special_bytes(std::uint64_t w) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  auto zero_bytes = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  return zero_bytes(w ^ (ones * '"')) | zero_bytes(w ^ (ones * '\\')) | ((w - ones * 0x20) & ~w & highs);
}

/// Index of the lowest special byte of a non-zero special_bytes() mask.
inline std::size_t first_special(std::uint64_t mask) noexcept {
  return static_cast<std::size_t>(__builtin_ctzll(mask)) / 8;
}

inline bool is_plain(char c) noexcept { return kPlainStringByte[static_cast<unsigned char>(c)]; }

/// The first special byte at or after p. The caller guarantees one exists and that the 7
/// bytes after it are readable (a padded buffer).
inline char* find_special_padded(char* p) noexcept {
  if constexpr (kWordScan) {
    for (;; p += 8)
      if (std::uint64_t m = special_bytes(load_word(p))) return p + first_special(m);
  }
  while (is_plain(*p)) ++p;
  return p;
}

/// Copies the plain bytes at p (up to end) to out and advances both; reads only [p, end).
/// out must have 8 bytes of room past the copied text (it stores whole words).
inline void copy_plain(const char*& p, const char* end, char*& out) noexcept {
  if constexpr (kWordScan) {
    for (; end - p >= 8; p += 8, out += 8) {
      const std::uint64_t w = load_word(p);
      std::memcpy(out, &w, sizeof w);
      if (std::uint64_t m = special_bytes(w)) {
        const std::size_t n = first_special(m);
        p += n, out += n;
        return;
      }
    }
  }
  while (p != end && is_plain(*p)) *out++ = *p++;
}

}  // namespace myna::codec::detail
