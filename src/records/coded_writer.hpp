// The decoders' fast path for a coded answer (internal): 1-3 ASCII digits packed straight
// into the word of an answer that is still absent (a field of a record just opened), read in
// a given period. Coded::try_assign stays the general way, from any state.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "internal/inlining.hpp"
#include "myna/records/values.hpp"

namespace myna::internal {

struct CodedWriter {
  /// Stores text in an absent answer, read in period; false (answer unchanged) unless text
  /// is 1-3 ASCII digits and the answer is absent.
  static MYNA_FORCE_INLINE bool assign(Coded& answer, std::string_view text, CodePeriod period) noexcept {
    const std::size_t n = text.size();
    if (n - 1 > 2 || answer.is_packed() || answer.is_pointer()) return false;
    std::uint64_t code = 0;  // the digits, first in the lowest byte
    for (std::size_t i = n; i-- > 0;) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (static_cast<unsigned char>(c - '0') > 9) return false;
      code = code << 8 | c;
    }
    const std::uint64_t head = 1 | (answer.word_ >> 1 & 0xFF) << 8 | (n << 2 | static_cast<unsigned>(period)) << 16;
    answer.word_ = from_bytes(head | code << (8 * Coded::kCodeByte));
    return true;
  }

  /// The whole state of a valid answer (set, period, code) as one number.
  static std::uint64_t word(const Coded& valid) noexcept { return valid.word_; }

 private:
  // The word whose bytes in memory are those of little-endian `bytes` (Coded's layout is
  // defined by byte positions, not by bits).
  static std::uint64_t from_bytes(std::uint64_t bytes) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return bytes;
#else
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(bytes >> (8 * i));
    std::uint64_t word;
    std::memcpy(&word, b, sizeof word);
    return word;
#endif
  }
};

}  // namespace myna::internal
