// The payload handler's lookups (internal): identical strings shared within a payload, and
// the catalog row of a record key found by the key order of the records before.
#pragma once

#include <array>
#include <cstring>
#include <string_view>
#include <vector>

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

/// Finds the catalog row of a record key. The records of a payload list their items in much
/// the same order, so the item that followed the previous one last time is tried first (one
/// comparison); the hash index is the fallback and updates the guess.
template <class R>
class RecordKeys {
 public:
  explicit RecordKeys(const KeyIndex& index) : index_(index) { next_.fill(-1); }

  void start_record() noexcept { previous_ = 0; }

  /// The key the next item is expected to have (from the records before), or empty.
  std::string_view expected() const noexcept {
    const int guess = next_[previous_];
    return guess >= 0 ? RecordTraits<R>::catalog[static_cast<std::size_t>(guess)].ja : std::string_view();
  }
  /// The expected key arrived: its catalog index.
  int take_expected() noexcept {
    const int found = next_[previous_];
    previous_ = static_cast<std::size_t>(found) + 1;
    return found;
  }

  /// Catalog index of an exact (not width-folded) key, or -1.
  int find(const char* s, std::size_t n) noexcept {
    int& guess = next_[previous_];
    const int found = guess >= 0 && is_key(guess, s, n) ? guess : index_.find(s, n);
    if (found >= 0) guess = found, previous_ = static_cast<std::size_t>(found) + 1;
    return found;
  }

 private:
  static bool is_key(int field, const char* s, std::size_t n) noexcept {
    const std::string_view key = RecordTraits<R>::catalog[static_cast<std::size_t>(field)].ja;
    return key.size() == n && std::memcmp(key.data(), s, n) == 0;
  }

  const KeyIndex& index_;
  std::array<int, RecordTraits<R>::catalog.size() + 1> next_;  // [0]: record start, [i + 1]: after item i
  std::size_t previous_ = 0;
};

}  // namespace myna::internal
