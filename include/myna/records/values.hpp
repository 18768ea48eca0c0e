// Value types shared by the record structs. Every type has three states:
//   absent    the item was not in the record (未測定・該当なし), distinct from zero and "";
//   valid     a typed value can be read (has_value()); it re-encodes to exactly the received text;
//   unparsed  the text did not fit the item's type: unparsed_text() keeps it exactly as received.
// An unparsed value is never treated as absent: exports write its text. Each value is one
// 8-byte word: the valid value packed in it, or a pointer to shared, reference-counted text.
// Thread safety, for every type here: values, like int and std::string — const use from
// several threads is safe (shared text counts references atomically), a change needs one
// thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "myna/core_export.hpp"
#include "myna/error.hpp"
#include "myna/records/code_set_id.hpp"

namespace myna {

/// The state of a value: see the top of this header.
enum class ValueState : std::uint8_t { absent, valid, unparsed };

/// Stable name: "absent", "valid", "unparsed".
MYNA_CORE_API const char* to_string(ValueState state) noexcept;

// What the value types below share; not API (one internal namespace, docs/namespaces.dox).
namespace internal {
/// Shared bytes: the header, then the characters. An extended block (kExtended in size_bits)
/// also holds, 8-aligned after the characters, a TextExtra.
struct CodedWriter;  // the decoder's fast path for coded answers (src/records/coded_writer.hpp)
struct TextRep {
  std::atomic<std::uint32_t> refs;
  std::uint32_t size_bits;  ///< size | kExtended
  static constexpr std::uint32_t kExtended = 0x80000000u;
  std::uint32_t size() const noexcept { return size_bits & ~kExtended; }
  const char* chars() const noexcept { return reinterpret_cast<const char*>(this + 1); }
  std::string_view view() const noexcept { return {chars(), size()}; }
};
/// The extension of a TextRep: the text as received (unparsed), and what it belongs to.
struct TextExtra {
  TextRep* original;  ///< the received text; null when the block is the received text itself
  std::uint8_t set;   ///< CodeSetId of an unparsed coded answer
  bool has_value;     ///< Text: the block's characters are a (repaired) value
  bool escapes;       ///< the original keeps unpaired surrogate escapes as text (backslash-ud800)
};
MYNA_CORE_API TextRep* make_text_rep(std::string_view text);
MYNA_CORE_API TextRep* make_extended_rep(std::string_view chars, const TextExtra& extra);
MYNA_CORE_API const TextExtra* extra_of(const TextRep* rep) noexcept;
MYNA_CORE_API void free_text_rep(TextRep* rep) noexcept;
inline void retain(TextRep* rep) noexcept { rep->refs.fetch_add(1, std::memory_order_relaxed); }
inline void release(TextRep* rep) noexcept {
  if (rep->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) free_text_rep(rep);
}
}  // namespace internal

/// The storage every value type but Text shares: one tagged word. Low bit 1: the valid value,
/// packed in the other 63 bits; a small word: absent; otherwise a pointer to the shared
/// received text of an unparsed value (heap blocks are 8-aligned, so their low bit is 0).
class MYNA_CORE_API ValueWord {
 public:
  ValueState state() const noexcept {
    return (word_ & 1) ? ValueState::valid : is_pointer() ? ValueState::unparsed : ValueState::absent;
  }
  /// The received text of an unparsed value; nullopt when absent or valid.
  std::optional<std::string_view> unparsed_text() const noexcept {
    if (!is_pointer()) return std::nullopt;
    return rep()->view();
  }
  bool is_unparsed() const noexcept { return is_pointer(); }
  bool is_absent() const noexcept { return state() == ValueState::absent; }

  ValueWord(const ValueWord& other) noexcept : word_(other.word_) {
    if (is_pointer()) internal::retain(rep());
  }
  ValueWord(ValueWord&& other) noexcept : word_(other.word_) { other.word_ = other.absent_word(); }
  ValueWord& operator=(const ValueWord& other) noexcept {
    if (other.is_pointer()) internal::retain(other.rep());
    drop();
    word_ = other.word_;
    return *this;
  }
  ValueWord& operator=(ValueWord&& other) noexcept {
    if (this != &other) {
      drop();
      word_ = other.word_;
      other.word_ = other.absent_word();
    }
    return *this;
  }
  ~ValueWord() { drop(); }

 protected:
  static constexpr std::uint64_t kSmall = 4096;  ///< words below this (low bit 0) are absent
  constexpr ValueWord() noexcept = default;
  explicit constexpr ValueWord(std::uint64_t word) noexcept : word_(word) {}

  bool is_pointer() const noexcept { return (word_ & 1) == 0 && word_ >= kSmall; }
  bool is_packed() const noexcept { return (word_ & 1) != 0; }
  std::uint64_t payload() const noexcept { return word_ >> 1; }
  // The word is a tagged pointer by design (one word per value).
  internal::TextRep* rep() const noexcept {
    return reinterpret_cast<internal::TextRep*>(word_);  // NOLINT(performance-no-int-to-ptr)
  }
  /// The absent word of this value (an absent coded answer keeps its code set).
  std::uint64_t absent_word() const noexcept { return (word_ & 1) == 0 && word_ < kSmall ? word_ : 0; }
  void drop() noexcept {
    if (is_pointer()) internal::release(rep());
  }
  void set_packed(std::uint64_t payload) noexcept {
    drop();
    word_ = payload << 1 | 1;
  }
  void set_absent() noexcept {
    std::uint64_t absent = absent_word();
    drop();
    word_ = absent;
  }
  /// Keeps text as the received text of an unparsed value.
  void set_unparsed(std::string_view text);
  void set_rep(internal::TextRep* rep) noexcept {  ///< takes a reference
    drop();
    word_ = reinterpret_cast<std::uintptr_t>(rep);
  }
  bool same_as(const ValueWord& other) const noexcept;
  /// same_as, ignoring the lowest payload bit of valid values (a date's received form).
  bool same_value(const ValueWord& other) const noexcept {
    if (is_packed() && other.is_packed()) return (payload() >> 1) == (other.payload() >> 1);
    return same_as(other);
  }

  std::uint64_t word_ = 0;
};

// ---------------------------------------------------------------- Date / YearMonth

/// A calendar date (proleptic Gregorian). Valid dates remember their received form:
/// "YYYYMMDD" (wire) or "YYYY-MM-DD". Default: absent.
class MYNA_CORE_API Date : public ValueWord {
 public:
  constexpr Date() noexcept {}  // user-provided: not an aggregate
  /// Validated construction; Result holds a validation error for impossible dates.
  static Result<Date> make(int year, int month, int day);
  /// Parses "YYYYMMDD" (wire format) or "YYYY-MM-DD".
  static Result<Date> parse(std::string_view text);
  /// parse() without building an error (hot loops): nullopt where parse() fails.
  static std::optional<Date> try_parse(std::string_view text) noexcept;
  /// An unparsed date keeping text as received.
  static Date unparsed(std::string_view text);
  /// Today's date in Japan Standard Time.
  static Date today_jst();

  bool has_value() const noexcept { return is_packed(); }
  int year() const noexcept { return static_cast<int>(yyyymmdd() / 10000); }
  int month() const noexcept { return static_cast<int>(yyyymmdd() / 100 % 100); }
  int day() const noexcept { return static_cast<int>(yyyymmdd() % 100); }
  /// YYYYMMDD as an integer, 0 unless valid.
  std::uint32_t yyyymmdd() const noexcept { return has_value() ? static_cast<std::uint32_t>(payload() >> 1) : 0; }
  /// The valid value was received as "YYYY-MM-DD".
  bool iso_form() const noexcept { return has_value() && (payload() & 1); }

  std::string to_string() const;  ///< "YYYY-MM-DD"; "" unless valid
  /// The text to send: "YYYYMMDD" (or "YYYY-MM-DD" when received so); an unparsed date's
  /// received text; "" when absent.
  std::string to_wire() const;
  /// Days since 1970-01-01 (for arithmetic); only meaningful when has_value().
  std::int64_t days_since_epoch() const noexcept;
  static Date from_days_since_epoch(std::int64_t days) noexcept;

  /// Same day (whatever form each was received in), or both absent, or the same unparsed text.
  friend bool operator==(const Date& a, const Date& b) noexcept { return a.same_value(b); }
  friend bool operator!=(const Date& a, const Date& b) noexcept { return !a.same_value(b); }
  /// Order of the calendar dates (absent and unparsed before every date).
  friend bool operator<(const Date& a, const Date& b) noexcept { return a.yyyymmdd() < b.yyyymmdd(); }
  friend bool operator<=(const Date& a, const Date& b) noexcept { return a.yyyymmdd() <= b.yyyymmdd(); }
  friend bool operator>(const Date& a, const Date& b) noexcept { return a.yyyymmdd() > b.yyyymmdd(); }
  friend bool operator>=(const Date& a, const Date& b) noexcept { return a.yyyymmdd() >= b.yyyymmdd(); }

 private:
  static Date packed(std::uint32_t yyyymmdd, bool iso) noexcept;
};

MYNA_CORE_API bool is_valid_date(int year, int month, int day) noexcept;
MYNA_CORE_API int days_in_month(int year, int month) noexcept;

/// A year and month (診療年月); valid values remember "YYYYMM" or "YYYY-MM". Default: absent.
class MYNA_CORE_API YearMonth : public ValueWord {
 public:
  constexpr YearMonth() noexcept {}  // user-provided: not an aggregate
  static Result<YearMonth> make(int year, int month);
  /// Parses "YYYYMM" (wire format) or "YYYY-MM".
  static Result<YearMonth> parse(std::string_view text);
  /// parse() without building an error: nullopt where parse() fails.
  static std::optional<YearMonth> try_parse(std::string_view text) noexcept;
  static YearMonth unparsed(std::string_view text);
  static YearMonth of(const Date& date) noexcept;

  bool has_value() const noexcept { return is_packed(); }
  int year() const noexcept { return static_cast<int>(yyyymm() / 100); }
  int month() const noexcept { return static_cast<int>(yyyymm() % 100); }
  std::uint32_t yyyymm() const noexcept { return has_value() ? static_cast<std::uint32_t>(payload() >> 1) : 0; }
  bool iso_form() const noexcept { return has_value() && (payload() & 1); }
  Date first_day() const noexcept;
  Date last_day() const noexcept;

  std::string to_string() const;  ///< "YYYY-MM"; "" unless valid
  std::string to_wire() const;    ///< "YYYYMM" (or as received); an unparsed month's text

  /// Same month (whatever form), or both absent, or the same unparsed text.
  friend bool operator==(const YearMonth& a, const YearMonth& b) noexcept { return a.same_value(b); }
  friend bool operator!=(const YearMonth& a, const YearMonth& b) noexcept { return !a.same_value(b); }
  friend bool operator<(const YearMonth& a, const YearMonth& b) noexcept { return a.yyyymm() < b.yyyymm(); }
  friend bool operator<=(const YearMonth& a, const YearMonth& b) noexcept { return a.yyyymm() <= b.yyyymm(); }

 private:
  static YearMonth packed(std::uint32_t yyyymm, bool iso) noexcept;
};

// ---------------------------------------------------------------- Text

/// Immutable text shared by reference count (8 bytes per field; copies are cheap and
/// identical strings decoded from one payload share storage). Absent by default; an empty
/// present string is distinct from absent. Decoded text is valid UTF-8: where the service
/// sent invalid UTF-8 (or an unpaired surrogate escape) the value is the repaired text
/// (U+FFFD per maximal ill-formed subpart) and unparsed_text() the received bytes. A JSON
/// object, array or boolean in place of a text is unparsed without a value.
class MYNA_CORE_API Text {
 public:
  Text() noexcept = default;
  explicit Text(std::string_view text);
  /// A repaired text: value (valid UTF-8) and the text as received.
  static Text repaired(std::string_view value, std::string_view received, bool escapes = false);
  /// An unparsed text without a value (a JSON object, array or boolean as received).
  static Text unparsed(std::string_view received);
  Text(const Text& other) noexcept : rep_(other.rep_) {
    if (rep_) internal::retain(rep_);
  }
  Text(Text&& other) noexcept : rep_(other.rep_) { other.rep_ = nullptr; }
  Text& operator=(const Text& other) noexcept;
  Text& operator=(Text&& other) noexcept {
    if (this != &other) {
      if (rep_) internal::release(rep_);
      rep_ = other.rep_;
      other.rep_ = nullptr;
    }
    return *this;
  }
  ~Text() {
    if (rep_) internal::release(rep_);
  }

  /// A value can be read (also for repaired text).
  bool has_value() const noexcept {
    return rep_ && (!(rep_->size_bits & internal::TextRep::kExtended) || internal::extra_of(rep_)->has_value);
  }
  ValueState state() const noexcept {
    if (!rep_) return ValueState::absent;
    return (rep_->size_bits & internal::TextRep::kExtended) ? ValueState::unparsed : ValueState::valid;
  }
  /// The received text when it was not valid UTF-8 or not a string; nullopt otherwise.
  std::optional<std::string_view> unparsed_text() const noexcept;
  /// The received text keeps unpaired surrogate escapes as their six characters (a backslash,
  /// then ud800): the encoders write them back as escapes.
  bool unparsed_has_escapes() const noexcept;
  std::string_view view() const noexcept {  ///< the value; "" when there is none
    return has_value() ? rep_->view() : std::string_view();
  }
  std::string str() const { return std::string(view()); }
  bool empty() const noexcept { return view().empty(); }

  /// Same state, same value and same received text.
  friend MYNA_CORE_API bool operator==(const Text& a, const Text& b) noexcept;
  friend bool operator!=(const Text& a, const Text& b) noexcept { return !(a == b); }
  friend bool operator==(const Text& a, std::string_view b) noexcept { return a.has_value() && a.view() == b; }

 private:
  explicit Text(internal::TextRep* rep) noexcept : rep_(rep) {}
  internal::TextRep* rep_ = nullptr;
};

// ---------------------------------------------------------------- numbers

/// How a measured value relates to the number (lab values at the limits of an assay).
enum class Comparator : std::uint8_t { none, less, less_equal, greater, greater_equal };
/// "<", "<=", ">", ">=" or "" for none.
MYNA_CORE_API std::string_view to_string(Comparator comparator) noexcept;

/// An exact decimal in canonical form ("5.6" stays "5.6", "82.0" keeps its zero), optionally
/// with a comparator ("<0.5"). Up to 15 significant digits (16 below 2^53) and 20
/// fractional digits; longer spellings are unparsed, never lost. Default: absent.
class MYNA_CORE_API Decimal : public ValueWord {
 public:
  constexpr Decimal() noexcept {}  // user-provided: not an aggregate
  /// Parses the canonical form -?(0|[1-9][0-9]*)(.[0-9]+)?; no exponent, '+', spaces or
  /// leading zeros (they would not re-encode to the same text).
  static Result<Decimal> parse(std::string_view text);
  /// parse() without building an error: nullopt where parse() fails.
  static std::optional<Decimal> try_parse(std::string_view text) noexcept;
  /// A comparator ("<", "<=", ">", ">=") followed by a non-negative canonical decimal.
  static std::optional<Decimal> try_parse_with_comparator(std::string_view text) noexcept;
  /// mantissa × 10^-scale, e.g. of(56, 1) == 5.6.
  static Result<Decimal> of(std::int64_t mantissa, int scale);
  static Decimal unparsed(std::string_view text);

  bool has_value() const noexcept { return is_packed(); }
  std::int64_t mantissa() const noexcept;
  int scale() const noexcept { return static_cast<int>(payload() >> 3 & 31); }
  bool negative() const noexcept { return has_value() && (payload() >> 8 & 1); }
  Comparator comparator() const noexcept { return static_cast<Comparator>(payload() & 7); }
  /// The number without comparator ("0.5" for "<0.5"); "" unless valid.
  std::string to_string() const;
  /// The text to send: comparator and number ("<0.5"), or an unparsed value's received text.
  std::string to_wire() const;
  /// Nearest double (for arithmetic only; never used for storage or export).
  double to_double() const noexcept;
  /// This value with a comparator (valid values only).
  Decimal with_comparator(Comparator comparator) const noexcept;

  /// Same state and same text (5.6 != 5.60 here; use numerically_equal for value comparison).
  friend bool operator==(const Decimal& a, const Decimal& b) noexcept { return a.same_as(b); }
  friend bool operator!=(const Decimal& a, const Decimal& b) noexcept { return !a.same_as(b); }
  static bool numerically_equal(const Decimal& a, const Decimal& b) noexcept;

  static constexpr int kMaxScale = 20;
  static constexpr std::int64_t kMaxMagnitude = (std::int64_t{1} << 53) - 1;
};

/// Money in whole yen; negative amounts are values (corrections). Default: absent.
class MYNA_CORE_API Yen : public ValueWord {
 public:
  constexpr Yen() noexcept {}  // user-provided: not an aggregate
  static Result<Yen> make(std::int64_t amount);
  /// -?(0|[1-9][0-9]{0,14}): at most 15 digits, no leading zero.
  static Result<Yen> parse(std::string_view text);
  /// parse() without building an error: nullopt where parse() fails.
  static std::optional<Yen> try_parse(std::string_view text) noexcept;
  static Yen unparsed(std::string_view text);
  bool has_value() const noexcept { return is_packed(); }
  std::int64_t amount() const noexcept;
  bool negative() const noexcept { return has_value() && (payload() & 1); }
  std::string to_string() const;  ///< "1234", "-3450"; an unparsed amount's text; "" when absent
  friend bool operator==(const Yen& a, const Yen& b) noexcept { return a.same_as(b); }
  friend bool operator!=(const Yen& a, const Yen& b) noexcept { return !a.same_as(b); }
};

/// A whole number (年齢, 回数, 処方グループ番号), -?(0|[1-9][0-9]{0,8}). Negative numbers are
/// valid (the decoder notes them as out of range). Default: absent.
class MYNA_CORE_API Count : public ValueWord {
 public:
  constexpr Count() noexcept {}  // user-provided: not an aggregate
  static Result<Count> make(std::int64_t value);
  static Result<Count> parse(std::string_view text);
  /// parse() without building an error: nullopt where parse() fails.
  static std::optional<Count> try_parse(std::string_view text) noexcept;
  static Count unparsed(std::string_view text);
  bool has_value() const noexcept { return is_packed(); }
  std::int32_t value() const noexcept;
  bool negative() const noexcept { return has_value() && (payload() & 1); }
  std::string to_string() const;  ///< "28"; an unparsed count's text; "" when absent
  friend bool operator==(const Count& a, const Count& b) noexcept { return a.same_as(b); }
  friend bool operator!=(const Count& a, const Count& b) noexcept { return !a.same_as(b); }
};

// ---------------------------------------------------------------- codes

/// How a code string is validated (leading zeros always survive).
enum class CodeFormat : std::uint8_t {
  institution_code,  ///< 医療機関(薬局)コード / 特定健診機関番号: 10 digits
  insurer_number,    ///< 保険者番号: 6 or 8 digits
  medicine_code,     ///< レセプト電算処理システム用 医薬品コード: 9 digits
  price_list_code,   ///< 薬価基準収載医薬品コード: 12 characters 0-9 A-Z
  branch_number,     ///< 枝番: 2 digits
};

/// Validates text for a format; returns a message naming what is wrong, or empty when valid.
MYNA_CORE_API std::string check_code(CodeFormat format, std::string_view text);
MYNA_CORE_API const char* describe(CodeFormat format) noexcept;

/// Storage shared by all code types: a valid code (up to 12 characters 0-9 A-Z) is packed
/// into the word; anything else is unparsed text.
class MYNA_CORE_API CodeString : public ValueWord {
 public:
  constexpr CodeString() noexcept {}  // user-provided: not an aggregate
  bool has_value() const noexcept { return is_packed(); }
  /// The code; an unparsed code's received text; "" when absent.
  std::string str() const;
  friend bool operator==(const CodeString& a, const CodeString& b) noexcept { return a.same_as(b); }
  friend bool operator!=(const CodeString& a, const CodeString& b) noexcept { return !a.same_as(b); }

  /// Stores text after validating it against format (used by decoders and Code::parse).
  Status assign(CodeFormat format, std::string_view text);
  /// assign() without building an error: false (value unchanged) where assign() fails.
  bool try_assign(CodeFormat format, std::string_view text) noexcept;
  /// Keeps text as an unparsed code.
  void assign_unparsed(std::string_view text) { set_unparsed(text); }
};

/// A validated code of one format, e.g. Code<CodeFormat::medicine_code>.
template <CodeFormat F>
class Code : public CodeString {
 public:
  static constexpr CodeFormat format = F;
  constexpr Code() noexcept {}  // user-provided: not an aggregate
  static Result<Code> parse(std::string_view text) {
    Code code;
    if (auto st = code.assign(F, text); !st) return std::move(st).error();
    return code;
  }
};

using InstitutionCode = Code<CodeFormat::institution_code>;
using InsurerNumber = Code<CodeFormat::insurer_number>;
using MedicineCode = Code<CodeFormat::medicine_code>;
using PriceListCode = Code<CodeFormat::price_list_code>;
using BranchNumber = Code<CodeFormat::branch_number>;

// ---------------------------------------------------------------- coded answers

/// The period of a code table. Checkup questionnaire tables changed on 2024-04-01 (第4期);
/// a record's period comes from its 実施年月日.
enum class CodePeriod : std::uint8_t {
  unknown,         ///< no usable date (or, for a table: valid in every period)
  before_2024_04,  ///< 第3期: before 2024-04-01
  from_2024_04,    ///< 第4期: from 2024-04-01
};
/// The period of a checkup date (unknown unless the date is valid).
MYNA_CORE_API CodePeriod code_period(const Date& checkup_date) noexcept;

/// One code and its meaning ("" when the sources disagree: a known code without a meaning).
struct CodeMeaning {
  std::string_view code;
  std::string_view meaning;  ///< Japanese, as the code table's display
};

/// The codes of one period.
struct CodeTable {
  CodePeriod period;        ///< unknown = every period
  std::string_view system;  ///< FHIR CodeSystem URI, "" if none is public
  const CodeMeaning* entries;
  std::size_t size;
};

/// What a code means in a set, for a period.
struct CodeLookup {
  bool known = false;        ///< the code is listed (for an unknown period: in some table)
  bool ambiguous = false;    ///< the period is unknown and the tables disagree on the code
  std::string_view meaning;  ///< "" when unknown, ambiguous or withheld
  std::string_view system;   ///< the CodeSystem of the table used, "" when none applies
};

/// A code set: its tables (one, or one per period) and where they come from
/// (tools/code_tables/code_tables.json; docs/records.md lists the sources).
struct MYNA_CORE_API CodeSet {
  CodeSetId id;
  std::string_view key;     ///< stable identifier, e.g. "drinking_frequency"
  std::string_view name;    ///< Japanese name of the code table
  bool source_published;    ///< false: the meanings are our assumption (入外等の別, 診療識別等区分)
  bool fhir_category_use;   ///< the meanings may derive FHIR categories
  bool unknown_code_issue;  ///< a code outside the table is an unknown_code issue
  const CodeTable* tables;
  std::size_t table_count;

  /// The table of a period (the only table for a set without periods); nullptr when the
  /// period is unknown and the set has several.
  const CodeTable* table(CodePeriod period) const noexcept;
  bool period_dependent() const noexcept { return table_count > 1; }
  CodeLookup lookup(std::string_view code, CodePeriod period) const noexcept;
};

MYNA_CORE_API const CodeSet& code_set(CodeSetId id) noexcept;

/// A coded answer: 1–3 ASCII digits as sent, its set and the period it is read in. Every set
/// is open: a code the table does not list is valid, without meaning (the decoder notes
/// unknown_code). Anything else (full-width digits, symbols, 4+ digits) is unparsed.
class MYNA_CORE_API Coded : public ValueWord {
 public:
  constexpr Coded() noexcept {}  // user-provided: not an aggregate
  explicit constexpr Coded(CodeSetId set) noexcept : ValueWord(std::uint64_t{static_cast<std::uint8_t>(set)} << 1) {}

  bool has_value() const noexcept { return is_packed(); }
  /// The code ("" unless valid).
  std::string_view code() const noexcept;
  /// The set (also for absent and unparsed values).
  CodeSetId set() const noexcept;
  CodePeriod period() const noexcept;
  /// The code with its meaning in its set and period.
  CodeLookup lookup() const noexcept;
  /// The meaning, "" when the code is not listed, withheld or ambiguous.
  std::string_view meaning() const noexcept { return lookup().meaning; }
  /// The FHIR CodeSystem of the table the code is read in, "" when none applies.
  std::string_view system() const noexcept { return lookup().system; }

  /// Validates text (1–3 ASCII digits) and stores it; any set accepts any such code.
  Status assign(std::string_view text);
  /// assign() without building an error: false (value unchanged) where assign() fails.
  bool try_assign(std::string_view text) noexcept;
  /// Keeps text as an unparsed answer.
  void assign_unparsed(std::string_view text);
  /// Reads the code in a period (decoders: the record's 実施年月日).
  void set_period(CodePeriod period) noexcept;
  void clear() noexcept {  ///< absent; keeps the set
    const auto s = static_cast<std::uint8_t>(set());
    drop();
    word_ = std::uint64_t{s} << 1;
  }

  friend bool operator==(const Coded& a, const Coded& b) noexcept {
    return a.set() == b.set() && a.code() == b.code() && a.unparsed_text() == b.unparsed_text();
  }
  friend bool operator!=(const Coded& a, const Coded& b) noexcept { return !(a == b); }

 private:
  // Byte layout of a valid answer (endian-neutral): the low bit of the word is the tag,
  // byte 1 the set, byte 2 the period (bits 0-1) and length (bits 2-3), bytes 4-6 the code.
  static constexpr std::size_t kCodeByte = 4;
  unsigned char byte(std::size_t i) const noexcept;
  friend struct internal::CodedWriter;
};

/// For people: the value as to_string() writes it; an absent value as "(absent)", an empty
/// Text as "" (two quotation marks), so that absent and empty never look alike.
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const Date& v);
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const YearMonth& v);
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const Text& v);
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const Decimal& v);
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const Yen& v);
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const Count& v);
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const CodeString& v);
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const Coded& v);

}  // namespace myna
