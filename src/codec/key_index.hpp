// Payload key → catalog row, built once per record type and profile aliases.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "myna/profile.hpp"

namespace myna::internal {

/// A fast hash of short strings (keys, names): the length and three 8-byte windows. Callers
/// always confirm a match by comparing the bytes.
inline std::uint64_t hash_bytes(const char* s, std::size_t n) noexcept {
  std::uint64_t a = 0, b = 0, c = 0;
  if (n >= 8) {
    std::memcpy(&a, s, 8);
    std::memcpy(&b, s + n - 8, 8);
    std::memcpy(&c, s + n / 2 - 4, 8);
  } else {
    for (std::size_t i = 0; i < n; ++i) a = (a << 8) | static_cast<unsigned char>(s[i]);
  }
  std::uint64_t h = (a ^ (n * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
  h ^= (b + (h >> 31)) * 0x94D049BB133111EBull;
  h ^= (c + (h >> 29)) * 0xC2B2AE3D27D4EB4Full;
  return h ^ (h >> 32);
}

/// Folds full-width ASCII (！..～, U+FF01..FF5E) and the ideographic space to ASCII and drops
/// spaces, so "ＨｂＡ１ｃ（その他）" finds "HbA1c(その他)". Used only when the exact key misses.
std::string fold_width(std::string_view key);

/// Open-addressing table from key bytes to a catalog index.
class KeyIndex {
 public:
  template <class R>
  static KeyIndex build(const Profile& profile) {
    KeyIndex idx;
    const auto& cat = RecordTraits<R>::catalog;
    idx.slots_.assign(1024, Slot{});
    for (std::size_t i = 0; i < cat.size(); ++i) {
      idx.insert(std::string(cat[i].ja), static_cast<int>(i));
      idx.insert(fold_width(cat[i].ja), static_cast<int>(i));
    }
    for (const auto& a : profile.key_aliases)
      if (a.type == RecordTraits<R>::type && a.item_number >= 1 && a.item_number <= static_cast<int>(cat.size()))
        idx.insert(a.key, a.item_number - 1);
    return idx;
  }

  /// Catalog index, or -1 for an unknown key.
  int find(const char* s, std::size_t n) const noexcept {
    std::uint64_t h = hash_bytes(s, n);
    for (std::size_t i = h & mask();; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (slot.index < 0) return -1;
      if (slot.hash == h && slot.key.size() == n && std::memcmp(slot.key.data(), s, n) == 0) return slot.index;
    }
  }

  int find_folded(std::string_view key) const {
    std::string folded = fold_width(key);
    return find(folded.data(), folded.size());
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string key;
    int index = -1;
  };
  std::size_t mask() const noexcept { return slots_.size() - 1; }
  void insert(std::string key, int index) {
    std::uint64_t h = hash_bytes(key.data(), key.size());
    for (std::size_t i = h & mask();; i = (i + 1) & mask()) {
      Slot& slot = slots_[i];
      if (slot.index < 0) {
        slot = Slot{h, std::move(key), index};
        return;
      }
      if (slot.hash == h && slot.key == key) return;
    }
  }
  std::vector<Slot> slots_;
};

}  // namespace myna::internal
