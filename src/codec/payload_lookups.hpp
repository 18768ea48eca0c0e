// The payload handler's lookups (internal): identical strings shared within a payload, and
// the catalog row of a record key found by the key order of the records before.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "codec/byte_scan.hpp"
#include "codec/key_index.hpp"
#include "internal/utf8.hpp"
#include "myna/records/catalog.hpp"

namespace myna::internal {

/// Shares the storage of identical strings within one payload (names, institutions, drugs).
class TextInterner {
 public:
  /// The shared text of s, or an absent Text when s is not valid UTF-8 (only valid text
  /// enters the table, so a hit needs no validation).
  Text get(const char* s, std::size_t n) {
    const std::string_view text(s, n);
    if (n > 256) return is_valid_utf8(text) ? Text(text) : Text();
    std::uint64_t h = hash_bytes(s, n);
    Entry& e = table_[h & (kSize - 1)];
    if (e.hash == h && e.text.has_value() && e.text.view() == text) return e.text;
    if (!is_valid_utf8(text)) return Text();
    e.hash = h;
    e.text = Text(text);
    return e.text;
  }

 private:
  static constexpr std::size_t kSize = 1024;  // direct-mapped: a miss just replaces
  struct Entry {
    std::uint64_t hash = 0;
    Text text;
  };
  std::vector<Entry> table_ = std::vector<Entry>(kSize);
};

/// Each item's key as it lies in a payload embedded in the envelope's JSON string, with what
/// usually follows it: `KEY\":\"` (the key's closing quote, the colon and the value's opening
/// quote, each quote escaped). Built once per record type, padded so that block compares
/// (same_bytes) may read a whole block from any key.
template <class R>
class WireKeys {
 public:
  static const WireKeys& get() {
    static const WireKeys keys;
    return keys;
  }
  std::string_view operator[](std::size_t field) const noexcept {
    return {text_.data() + offsets_[field], offsets_[field + 1] - offsets_[field]};
  }

 private:
  WireKeys() {
    const auto& catalog = RecordTraits<R>::catalog;
    for (std::size_t i = 0; i < catalog.size(); ++i) {
      offsets_[i] = static_cast<std::uint32_t>(text_.size());
      text_.append(catalog[i].ja).append("\\\":\\\"");
    }
    offsets_[catalog.size()] = static_cast<std::uint32_t>(text_.size());
    text_.append(kBlock, '\0');
  }
  std::string text_;
  std::array<std::uint32_t, RecordTraits<R>::catalog.size() + 1> offsets_{};
};

/// Finds the catalog row of a record key. The records of a payload list their items in much
/// the same order, so the two items that followed the previous one most recently (an optional
/// item between two others makes two) are tried first; the hash index is the fallback and
/// updates the guesses.
template <class R>
class RecordKeys {
 public:
  static constexpr std::size_t kGuesses = 2;

  explicit RecordKeys(const KeyIndex& index) : index_(index) {
    for (auto& guesses : next_) guesses.fill(-1);
  }

  void start_record() noexcept { previous_ = 0; }

  /// A guess (0: most likely) at the next key in its WireKeys form, or empty.
  std::string_view expected_wire(std::size_t guess) const noexcept {
    const int field = next_[previous_][guess];
    return field >= 0 ? wire_[static_cast<std::size_t>(field)] : std::string_view();
  }
  /// The guessed key arrived: its catalog index.
  int take_expected(std::size_t guess = 0) noexcept {
    const int found = next_[previous_][guess];
    follows(found);
    return found;
  }

  /// Catalog index of an exact (not width-folded) key, or -1.
  int find(const char* s, std::size_t n) noexcept {
    const int found = index_.find(s, n);
    if (found >= 0) follows(found);
    return found;
  }

 private:
  // found came after the previous item: the most likely guess from now on.
  void follows(int found) noexcept {
    auto& guesses = next_[previous_];
    if (guesses[0] != found) guesses[1] = guesses[0], guesses[0] = found;
    previous_ = static_cast<std::size_t>(found) + 1;
  }

  const KeyIndex& index_;
  const WireKeys<R>& wire_ = WireKeys<R>::get();
  // [0]: record start, [i + 1]: after item i
  std::array<std::array<int, kGuesses>, RecordTraits<R>::catalog.size() + 1> next_;
  std::size_t previous_ = 0;
};

}  // namespace myna::internal
