#include "codec/key_index.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "myna/records.hpp"

namespace myna::internal {

std::string fold_width(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (std::size_t i = 0; i < key.size();) {
    const auto b0 = static_cast<unsigned char>(key[i]);
    if (b0 == ' ') {
      ++i;
      continue;
    }
    if (b0 == 0xE3 && i + 2 < key.size()) {  // U+3000 ideographic space, U+301C wave dash
      const auto b1 = static_cast<unsigned char>(key[i + 1]), b2 = static_cast<unsigned char>(key[i + 2]);
      if (b1 == 0x80 && b2 == 0x80) {
        i += 3;
        continue;
      }
      if (b1 == 0x80 && b2 == 0x9C) {
        out += '~';
        i += 3;
        continue;
      }
    }
    if (b0 == 0xEF && i + 2 < key.size()) {  // U+FF01..U+FF5E → ASCII; U+FF65 → ・
      const auto b1 = static_cast<unsigned char>(key[i + 1]), b2 = static_cast<unsigned char>(key[i + 2]);
      unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out += static_cast<char>(cp - 0xFF01 + 0x21);
        i += 3;
        continue;
      }
      if (cp == 0xFF65) {
        out += "・";
        i += 3;
        continue;
      }
    }
    out += key[i++];
  }
  return out;
}

namespace {
std::string alias_signature(const Profile& profile, RecordType type) {
  std::string sig;
  for (const auto& a : profile.key_aliases)
    if (a.type == type) sig += std::to_string(a.item_number) + '\x1f' + a.key + '\x1e';
  return sig;
}
}  // namespace

// One index per record type and alias set, built once and shared by all decoders.
const KeyIndex& key_index(RecordType type, const Profile& profile) {
  static std::mutex mu;
  static std::map<std::pair<RecordType, std::string>, std::unique_ptr<KeyIndex>> cache;
  auto key = std::make_pair(type, alias_signature(profile, type));
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[key];
  if (!slot) {
    slot = std::make_unique<KeyIndex>(
        visit_record_type(type, [&](auto record) { return KeyIndex::build<decltype(record)>(profile); }));
  }
  return *slot;
}

}  // namespace myna::internal
