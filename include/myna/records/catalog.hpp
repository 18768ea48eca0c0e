// Field catalogs: one constexpr table per record type (item number, Japanese name exactly as
// the guideline means it, English name, group, value kind, unit, code set, member access).
// Decoding, encoding, export, validation and tests all iterate over these tables.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "myna/core_export.hpp"
#include "myna/records/values.hpp"

namespace myna {

/// The three kinds of record of table 2.4-1; the value is the table's 項番.
enum class RecordType : std::uint8_t {
  drug = 1,     ///< 薬剤情報
  checkup = 2,  ///< 特定健診情報
  expense = 3,  ///< 医療費通知情報
};

/// Japanese name of the information type, e.g. "薬剤情報".
MYNA_CORE_API std::string_view japanese_name(RecordType type) noexcept;
/// Stable English identifier: "drugs", "checkups", "expenses".
MYNA_CORE_API std::string_view english_name(RecordType type) noexcept;

/// The C++ value type of a field.
enum class ValueKind : std::uint8_t {
  text,        ///< myna::Text
  date,        ///< myna::Date
  year_month,  ///< myna::YearMonth
  count,       ///< myna::Count
  yen,         ///< myna::Yen
  decimal,     ///< myna::Decimal (measured values: unit in the catalog)
  code,        ///< myna::Code<F> (validated code string; format in the catalog)
  coded,       ///< myna::Coded (answer from a code set)
};

MYNA_CORE_API const char* to_string(ValueKind kind) noexcept;

/// A typed pointer to one member of one record.
struct FieldRef {
  ValueKind kind;
  void* ptr;  ///< Text*, Date*, YearMonth*, Count*, Yen*, Decimal*, CodeString*, Coded*
};
struct ConstFieldRef {
  ValueKind kind;
  const void* ptr;
};

// What the catalog templates below need; not API (one internal namespace, docs/namespaces.dox).
namespace internal {
template <class T>
struct KindOf;
template <>
struct KindOf<Text> {
  static constexpr ValueKind value = ValueKind::text;
};
template <>
struct KindOf<Date> {
  static constexpr ValueKind value = ValueKind::date;
};
template <>
struct KindOf<YearMonth> {
  static constexpr ValueKind value = ValueKind::year_month;
};
template <>
struct KindOf<Count> {
  static constexpr ValueKind value = ValueKind::count;
};
template <>
struct KindOf<Yen> {
  static constexpr ValueKind value = ValueKind::yen;
};
template <>
struct KindOf<Decimal> {
  static constexpr ValueKind value = ValueKind::decimal;
};
template <>
struct KindOf<Coded> {
  static constexpr ValueKind value = ValueKind::coded;
};
template <CodeFormat F>
struct KindOf<Code<F>> {
  static constexpr ValueKind value = ValueKind::code;
};

template <class T>
constexpr void* erase(T& member) noexcept {
  if constexpr (KindOf<T>::value == ValueKind::code) {
    return static_cast<CodeString*>(&member);
  } else {
    return &member;
  }
}
template <class T>
struct CodeFormatOf {
  static constexpr CodeFormat value = CodeFormat::institution_code;
};
template <CodeFormat F>
struct CodeFormatOf<Code<F>> {
  static constexpr CodeFormat value = F;
};

template <class Member>
struct MemberTraits;
template <class R, class T>
struct MemberTraits<T R::*> {
  using Record = R;
  using Type = T;
};
}  // namespace internal

/// One row of a catalog.
struct FieldInfo {
  std::uint16_t number;          ///< 項番 (1..N, no gaps)
  std::string_view ja;           ///< 項目名, the guideline's Japanese item name (wire key)
  std::string_view en;           ///< English identifier (also the C++ member name)
  std::string_view group;        ///< 項目分類 (checkups), "" for drugs and expenses
  std::string_view description;  ///< 項目説明, "" where the table gives none
  ValueKind kind;
  std::string_view unit;              ///< UCUM unit of a measured value, "" if none
  CodeSetId codes;                    ///< for ValueKind::coded
  CodeFormat format;                  ///< for ValueKind::code
  std::string_view observation_code;  ///< 特定健診項目コード (urn:oid:1.2.392.200119.6.1005), "" if none
  FieldRef (*access)(void* record) noexcept;  ///< member of a record of the catalog's type
  /// Value rules beyond the kind (docs/records.md "Value rules per item"): a negative number
  /// is an expected value here (corrections); without this a negative count or decimal is
  /// valid with an out_of_range issue.
  bool negative_expected = false;
  /// A decimal may carry a comparator ("<0.5": lab values at the limits of an assay).
  bool comparator_allowed = false;
  /// The documented input range of a measured value (MHLW 入力範囲), when one was read:
  /// a valid value outside [range_min, range_max] gets an out_of_range issue.
  bool has_range = false;
  double range_min = 0;
  double range_max = 0;

  /// Typed access to this field of a record of the catalog's type.
  template <class R>
  FieldRef of(R& record) const noexcept {
    return access(&record);
  }
  template <class R>
  ConstFieldRef of(const R& record) const noexcept {
    FieldRef r = access(const_cast<R*>(&record));  // NOLINT: read-only use below
    return {r.kind, r.ptr};
  }
};

/// Fluent constexpr construction of catalog rows. `Path...` is the member path
/// (a group member then a field member for checkups).
template <auto... Path>
struct FieldAccessor;

template <auto M>
struct FieldAccessor<M> {
  using Traits = internal::MemberTraits<decltype(M)>;
  using Record = typename Traits::Record;
  using Type = typename Traits::Type;
  static FieldRef get(void* record) noexcept {
    auto& member = static_cast<Record*>(record)->*M;
    return {internal::KindOf<Type>::value, internal::erase(member)};
  }
};

template <auto G, auto M>
struct FieldAccessor<G, M> {
  using Outer = internal::MemberTraits<decltype(G)>;
  using Traits = internal::MemberTraits<decltype(M)>;
  using Record = typename Outer::Record;
  using Type = typename Traits::Type;
  static FieldRef get(void* record) noexcept {
    auto& member = (static_cast<Record*>(record)->*G).*M;
    return {internal::KindOf<Type>::value, internal::erase(member)};
  }
};

/// Describes one field: `field<&DrugRecord::kana_name>(1, "カナ氏名", "kana_name")...`.
template <auto... Path>
constexpr FieldInfo field(std::uint16_t number, std::string_view ja, std::string_view en) {
  using A = FieldAccessor<Path...>;
  using T = typename A::Type;
  FieldInfo info{
      number, ja,     en, {}, {}, internal::KindOf<T>::value, {}, CodeSetId::none, internal::CodeFormatOf<T>::value,
      {},     &A::get};
  return info;
}

/// Chainable setters for the optional columns.
constexpr FieldInfo with_group(FieldInfo f, std::string_view group) {
  f.group = group;
  return f;
}
constexpr FieldInfo with_description(FieldInfo f, std::string_view d) {
  f.description = d;
  return f;
}
constexpr FieldInfo with_unit(FieldInfo f, std::string_view unit) {
  f.unit = unit;
  return f;
}
constexpr FieldInfo with_codes(FieldInfo f, CodeSetId set) {
  f.codes = set;
  return f;
}
constexpr FieldInfo with_observation_code(FieldInfo f, std::string_view c) {
  f.observation_code = c;
  return f;
}
/// Negative values are expected (corrections): not out of range.
constexpr FieldInfo with_negative_expected(FieldInfo f) {
  f.negative_expected = true;
  return f;
}
/// The decimal may carry a comparator.
constexpr FieldInfo with_comparator(FieldInfo f) {
  f.comparator_allowed = true;
  return f;
}
/// The documented input range.
constexpr FieldInfo with_range(FieldInfo f, double min, double max) {
  f.has_range = true;
  f.range_min = min;
  f.range_max = max;
  return f;
}

/// Catalog of a record type: `catalog<DrugRecord>()`. Specialised in the record headers.
template <class R>
struct RecordTraits;

template <class R>
constexpr const auto& catalog() noexcept {
  return RecordTraits<R>::catalog;
}

/// Finds a catalog row by item number (nullptr if none).
template <class R>
constexpr const FieldInfo* find_field(int number) noexcept {
  for (const auto& f : RecordTraits<R>::catalog)
    if (f.number == number) return &f;
  return nullptr;
}

/// Calls fn(const FieldInfo&, FieldRef) for every field, in item-number order.
template <class R, class Fn>
void for_each_field(R& record, Fn&& fn) {
  for (const auto& f : RecordTraits<std::remove_const_t<R>>::catalog) fn(f, f.of(record));
}

/// True when a typed value of the field can be read (valid; also repaired text).
MYNA_CORE_API bool has_value(ConstFieldRef ref) noexcept;
/// The field's state: absent, valid or unparsed.
MYNA_CORE_API ValueState state(ConstFieldRef ref) noexcept;
/// True unless the field is absent (an unparsed value is present).
inline bool present(ConstFieldRef ref) noexcept { return state(ref) != ValueState::absent; }
/// The received text of an unparsed field (for text: the bytes before repair).
MYNA_CORE_API std::optional<std::string_view> unparsed_text(ConstFieldRef ref) noexcept;
/// The field as text in wire format, exactly as received ("" when absent): dates YYYYMMDD or
/// YYYY-MM-DD as received, decimals with their comparator, unparsed values their received text
/// (repaired text: the received bytes, which may be invalid UTF-8).
MYNA_CORE_API std::string to_wire_text(ConstFieldRef ref);
/// Human-readable text: dates YYYY-MM-DD, coded answers "1 (はい)", unparsed values their
/// received text, repaired text its repaired value.
MYNA_CORE_API std::string to_display_text(ConstFieldRef ref);
/// Parses wire text into the field (validation per kind / format; comparators where the row
/// allows them). An error leaves the field unchanged.
MYNA_CORE_API Status assign_wire_text(const FieldInfo& info, FieldRef ref, std::string_view text);
/// assign_wire_text() without building an error (decoders' hot loop): false, with the field
/// unchanged, where assign_wire_text() fails; that call then says why.
MYNA_CORE_API bool try_assign_wire_text(const FieldInfo& info, FieldRef ref, std::string_view text);
/// Keeps text as the field's unparsed value (text fields: unparsed without a value).
MYNA_CORE_API void assign_unparsed(FieldRef ref, std::string_view text);
/// Resets the field to absent.
MYNA_CORE_API void clear(FieldRef ref) noexcept;
/// Field-by-field equality of two fields of the same kind.
MYNA_CORE_API bool equal(ConstFieldRef a, ConstFieldRef b) noexcept;

/// Field-by-field equality of two records via the catalog.
template <class R>
bool records_equal(const R& a, const R& b) noexcept {
  for (const auto& f : RecordTraits<R>::catalog)
    if (!equal(f.of(a), f.of(b))) return false;
  return true;
}

}  // namespace myna
