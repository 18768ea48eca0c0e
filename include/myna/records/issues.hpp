// Per-item issues of a decoded record. The guideline fixes item numbers and names only; every
// value rule of the SDK is an assumption. A value that does not fit a rule is kept as received
// and noted here (item number, Japanese item name, kind) — never with the value itself, so that
// issues can be logged and counted safely. Under DecodePolicy::strict an issue is a decode error.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string_view>

#include "myna/core_export.hpp"
#include "myna/records/values.hpp"

namespace myna {

/// What was unexpected about an item's value. The names (to_string) are stable.
enum class IssueKind : std::uint8_t {
  unparsed_value,   ///< the text did not fit the item's type; kept as received (unparsed_text())
  unknown_code,     ///< a code not in the item's code table; kept as a code with no known meaning
  out_of_range,     ///< a value outside the documented range (e.g. negative where none is expected); kept
  text_repaired,    ///< invalid UTF-8 replaced by U+FFFD in the value; the original bytes are kept
  wrong_json_type,  ///< a JSON boolean, object or array (or a number for a text item) where a value belongs
  duplicate_item,   ///< the item appears more than once in the record; later values are kept as extra items
  unknown_item,     ///< a key that is no item of the table; kept as an extra item
  ambiguous_code,   ///< a code whose meaning depends on the period, in a record without a usable 実施年月日
  count_            ///< number of kinds (not a kind)
};

inline constexpr std::size_t kIssueKindCount = static_cast<std::size_t>(IssueKind::count_);

/// Stable snake_case name, e.g. "unknown_code".
MYNA_CORE_API const char* to_string(IssueKind kind) noexcept;
/// The kind with that name, nullopt for an unknown name.
MYNA_CORE_API std::optional<IssueKind> issue_kind_from_string(std::string_view name) noexcept;

/// One issue: which item, and what kind. Never the value.
struct Issue {
  std::uint16_t item_number = 0;  ///< 項番 of the guideline table; 0 for a key that is no item
  std::string_view item_name;     ///< the table's Japanese item name (static storage); "" for a key that is no item
  IssueKind kind = IssueKind::unparsed_value;

  friend bool operator==(const Issue& a, const Issue& b) noexcept {
    return a.item_number == b.item_number && a.kind == b.kind;
  }
  friend bool operator!=(const Issue& a, const Issue& b) noexcept { return !(a == b); }
};

/// A key/value pair the record's fields could not hold: a key that is no item, or a repeated
/// item. Kept so that nothing the service sent is lost.
struct ExtraItem {
  std::uint16_t item_number = 0;  ///< the repeated item, or 0 for a key that is no item
  Text key;                       ///< the key as received
  Text text;                      ///< the value as received (JSON text for a non-string value)
  bool json = false;              ///< text is JSON text (number, literal, object, array), not a string
};

/// The issues (and extra items) of one record. One pointer in size, null when there are none,
/// so that clean records cost nothing. Copies are deep. Not thread-safe for concurrent writes
/// (like any value); concurrent reads are fine.
class MYNA_CORE_API Issues {
 public:
  Issues() noexcept;
  Issues(const Issues& other);
  Issues(Issues&& other) noexcept;
  Issues& operator=(const Issues& other);
  Issues& operator=(Issues&& other) noexcept;
  ~Issues();

  bool empty() const noexcept { return size() == 0; }
  std::size_t size() const noexcept;
  const Issue* begin() const noexcept;
  const Issue* end() const noexcept { return begin() + size(); }
  /// True when an issue of this kind (for any item, or for item_number when given) exists.
  bool has(IssueKind kind, std::uint16_t item_number = 0) const noexcept;
  /// True when some issue names this item.
  bool mentions(std::uint16_t item_number) const noexcept;

  /// Keys and repeated items the record's fields could not hold.
  std::size_t extra_count() const noexcept;
  const ExtraItem* extra_begin() const noexcept;
  const ExtraItem* extra_end() const noexcept { return extra_begin() + extra_count(); }

  void add(const Issue& issue);
  void add_extra(ExtraItem item);
  void clear() noexcept;

  friend MYNA_CORE_API bool operator==(const Issues& a, const Issues& b) noexcept;
  friend bool operator!=(const Issues& a, const Issues& b) noexcept { return !(a == b); }

 private:
  struct Block;
  std::unique_ptr<Block> block_;
};

/// Counts of issues per kind (of a retrieval, a batch, a file). Plain value.
class MYNA_CORE_API IssueCounts {
 public:
  std::uint64_t count(IssueKind kind) const noexcept { return counts_[static_cast<std::size_t>(kind)]; }
  std::uint64_t total() const noexcept;
  bool empty() const noexcept { return total() == 0; }
  void add(IssueKind kind, std::uint64_t n = 1) noexcept { counts_[static_cast<std::size_t>(kind)] += n; }
  void add(const Issues& issues) noexcept;
  IssueCounts& operator+=(const IssueCounts& other) noexcept;

  friend bool operator==(const IssueCounts& a, const IssueCounts& b) noexcept { return a.counts_ == b.counts_; }
  friend bool operator!=(const IssueCounts& a, const IssueCounts& b) noexcept { return !(a == b); }

 private:
  std::array<std::uint64_t, kIssueKindCount> counts_{};
};

/// "unparsed_value=2 unknown_code=1" (kinds with a count only), "none" when empty.
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const IssueCounts& counts);
/// "item 117 喫煙: unknown_code" per issue, separated by "; ".
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const Issues& issues);

}  // namespace myna
