// The decoders' fast path for a coded answer (internal): 1-3 ASCII digits packed straight
// into the word of an answer that is still absent (a field of a record just opened), read in
// a given period. Coded::try_assign stays the general way, from any state.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "myna/records/values.hpp"

namespace myna::internal {

struct CodedWriter {
  /// Stores text in an absent answer, read in period; false (answer unchanged) unless text
  /// is 1-3 ASCII digits and the answer is absent.
  static bool assign(Coded& answer, std::string_view text, CodePeriod period) noexcept {
    const std::size_t n = text.size();
    if (n - 1 > 2 || answer.is_packed() || answer.is_pointer()) return false;
    unsigned char bytes[sizeof answer.word_] = {};
    for (std::size_t i = 0; i < n; ++i) {
      if (static_cast<unsigned char>(text[i] - '0') > 9) return false;
      bytes[Coded::kCodeByte + i] = static_cast<unsigned char>(text[i]);
    }
    bytes[0] = 1;
    bytes[1] = static_cast<unsigned char>(answer.word_ >> 1);  // the set an absent answer keeps
    bytes[2] = static_cast<unsigned char>(n << 2 | static_cast<unsigned>(period));
    std::memcpy(&answer.word_, bytes, sizeof bytes);
    return true;
  }

  /// The whole state of a valid answer (set, period, code) as one number.
  static std::uint64_t word(const Coded& valid) noexcept { return valid.word_; }
};

}  // namespace myna::internal
