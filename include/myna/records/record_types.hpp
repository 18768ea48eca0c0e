// A set of information types (表2.4-1): what a citizen is asked to consent to and what a
// token grants. Consent is given per information type; a fetch of a type outside the grant
// is refused before any telegram is sent (docs/consent-flow.md).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "myna/records/catalog.hpp"

namespace myna {

/// Every information type, in the order of table 2.4-1.
inline constexpr std::array<RecordType, 3> kAllRecordTypes = {RecordType::drug, RecordType::checkup,
                                                              RecordType::expense};

/// A small set of RecordType (one bit per type).
class RecordTypes {
 public:
  constexpr RecordTypes() noexcept = default;
  constexpr RecordTypes(std::initializer_list<RecordType> types) noexcept {
    for (RecordType t : types) add(t);
  }
  /// All three information types: what a consent grants when the specification has no way to
  /// name types, and what a token stored without types (an older SDK's) is taken to grant.
  static constexpr RecordTypes all() noexcept { return {RecordType::drug, RecordType::checkup, RecordType::expense}; }
  /// From bits(); bits outside the three types are dropped.
  static constexpr RecordTypes from_bits(std::uint8_t bits) noexcept {
    RecordTypes out;
    out.bits_ = static_cast<std::uint8_t>(bits & all().bits_);
    return out;
  }

  constexpr RecordTypes& add(RecordType type) noexcept {
    bits_ = static_cast<std::uint8_t>(bits_ | bit(type));
    return *this;
  }
  constexpr bool contains(RecordType type) const noexcept { return (bits_ & bit(type)) != 0; }
  constexpr bool contains(RecordTypes other) const noexcept { return (bits_ & other.bits_) == other.bits_; }
  constexpr bool empty() const noexcept { return bits_ == 0; }
  constexpr std::size_t size() const noexcept {
    return static_cast<std::size_t>(bits_ & 1U) + ((bits_ >> 1U) & 1U) + ((bits_ >> 2U) & 1U);
  }
  /// Bit 0 薬剤情報, bit 1 特定健診情報, bit 2 医療費通知情報 (the 項番 minus one).
  constexpr std::uint8_t bits() const noexcept { return bits_; }

  friend constexpr RecordTypes operator|(RecordTypes a, RecordTypes b) noexcept { return from_bits(a.bits_ | b.bits_); }
  friend constexpr RecordTypes operator&(RecordTypes a, RecordTypes b) noexcept { return from_bits(a.bits_ & b.bits_); }
  friend constexpr bool operator==(RecordTypes a, RecordTypes b) noexcept { return a.bits_ == b.bits_; }
  friend constexpr bool operator!=(RecordTypes a, RecordTypes b) noexcept { return a.bits_ != b.bits_; }

 private:
  static constexpr std::uint8_t bit(RecordType type) noexcept {
    return static_cast<std::uint8_t>(1u << (static_cast<unsigned>(type) - 1));
  }
  std::uint8_t bits_ = 0;
};

/// The type whose English identifier (english_name: "drugs", "checkups", "expenses") this is.
inline std::optional<RecordType> record_type_named(std::string_view english) {
  for (RecordType type : kAllRecordTypes)
    if (english == english_name(type)) return type;
  return std::nullopt;
}

/// The Japanese names joined with "・" in table order, e.g. "薬剤情報・特定健診情報" ("" when empty).
inline std::string to_japanese(RecordTypes types) {
  std::string out;
  for (RecordType t : kAllRecordTypes) {
    if (!types.contains(t)) continue;
    if (!out.empty()) out += "・";
    out += japanese_name(t);
  }
  return out;
}

/// What the information type holds, in the guideline's words (section 2.4), for consent
/// pages and the application's own explanations.
constexpr std::string_view japanese_description(RecordType type) noexcept {
  switch (type) {
    case RecordType::drug: return "保険医療機関・保険薬局等にて処方された薬剤の情報";
    case RecordType::checkup: return "健診実施機関で受診した特定健診情報等";
    case RecordType::expense: return "保険医療機関・保険薬局等にて支払った医療費の情報";
  }
  return "";
}

}  // namespace myna
