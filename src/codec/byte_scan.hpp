// Block-at-a-time search for the bytes that end plain JSON string text: '"', '\\' and
// control characters (< 0x20). SSE2 where the compiler targets it (every x86-64), otherwise
// SWAR on 8-byte words (little-endian) or a byte loop. Internal.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "codec/json_streams.hpp"
#include "internal/inlining.hpp"

namespace myna::internal {

inline bool is_plain(char c) noexcept { return kPlainStringByte[static_cast<unsigned char>(c)]; }

/// Index of the first special byte of the 8 bytes at p, or 8 (little-endian SWAR: bit 7 of a
/// byte is set for a special byte; exact for the lowest one, as borrows only run upwards).
inline std::size_t scan_word(const char* p) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  auto zero_bytes = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  const std::uint64_t m =
      zero_bytes(w ^ (ones * '"')) | zero_bytes(w ^ (ones * '\\')) | ((w - ones * 0x20) & ~w & highs);
  return m ? static_cast<std::size_t>(__builtin_ctzll(m)) / 8 : 8;
}

#if defined(__SSE2__)
/// Index of the first special byte of the 16 bytes at p, or 16.
inline std::size_t scan_sse2(const char* p) noexcept {
  const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i control = _mm_set1_epi8(0x1F);  // s <= 0x1F  <=>  max(s, 0x1F) == 0x1F
  const __m128i hits =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(s, _mm_set1_epi8('"')), _mm_cmpeq_epi8(s, _mm_set1_epi8('\\'))),
                   _mm_cmpeq_epi8(_mm_max_epu8(s, control), control));
  const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(hits));
  return m ? static_cast<std::size_t>(__builtin_ctz(m)) : 16;
}
inline constexpr std::size_t kBlock = 16;
inline std::size_t scan_block(const char* p) noexcept { return scan_sse2(p); }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
inline constexpr std::size_t kBlock = 8;
inline std::size_t scan_block(const char* p) noexcept { return scan_word(p); }
#else
inline constexpr std::size_t kBlock = 1;
inline std::size_t scan_block(const char* p) noexcept { return is_plain(*p) ? 1 : 0; }
#endif

/// Whether the n bytes at a and at b are equal. Both must have at least kBlock readable bytes
/// (the SSE2 path compares whole blocks, the last one overlapping).
MYNA_FORCE_INLINE bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
#if defined(__SSE2__)
  auto equal_mask = [](const char* x, const char* y) {
    const __m128i vx = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
    const __m128i vy = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y));
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(vx, vy)));
  };
  if (n < 16) {
    const unsigned wanted = (1u << n) - 1;
    return (equal_mask(a, b) & wanted) == wanted;
  }
  for (std::size_t i = 0; i + 16 < n; i += 16)
    if (equal_mask(a + i, b + i) != 0xFFFF) return false;
  return equal_mask(a + n - 16, b + n - 16) == 0xFFFF;
#else
  return std::memcmp(a, b, n) == 0;
#endif
}

}  // namespace myna::internal
