// Value types shared by the record structs. Every type has an "absent" state (the item was
// not in the record: 未測定・該当なし) that is distinct from zero and from an empty string.
// Thread safety, for every type here: values, like int and std::string — const use from
// several threads is safe (Text's shared storage counts references atomically), a change
// needs one thread at a time.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "myna/error.hpp"

namespace myna {

// ---------------------------------------------------------------- Date / YearMonth

/// A calendar date (proleptic Gregorian), stored in 4 bytes. Default: absent.
class Date {
 public:
  constexpr Date() noexcept = default;
  /// Validated construction; Result holds a validation error for impossible dates.
  static Result<Date> make(int year, int month, int day);
  /// Parses "YYYYMMDD" (wire format) or "YYYY-MM-DD".
  static Result<Date> parse(std::string_view text);
  /// parse() without building an error (hot loops): nullopt where parse() fails.
  static std::optional<Date> try_parse(std::string_view text) noexcept;
  /// Today's date in Japan Standard Time.
  static Date today_jst();

  constexpr bool has_value() const noexcept { return packed_ != 0; }
  constexpr int year() const noexcept { return static_cast<int>(packed_ / 10000); }
  constexpr int month() const noexcept { return static_cast<int>(packed_ / 100 % 100); }
  constexpr int day() const noexcept { return static_cast<int>(packed_ % 100); }
  /// YYYYMMDD as an integer, 0 when absent.
  constexpr std::uint32_t yyyymmdd() const noexcept { return packed_; }

  std::string to_string() const;  ///< "YYYY-MM-DD", "" when absent
  std::string to_wire() const;    ///< "YYYYMMDD", "" when absent
  /// Days since 1970-01-01 (for arithmetic); only valid when has_value().
  std::int64_t days_since_epoch() const noexcept;
  static Date from_days_since_epoch(std::int64_t days) noexcept;

  friend constexpr bool operator==(Date a, Date b) noexcept { return a.packed_ == b.packed_; }
  friend constexpr bool operator!=(Date a, Date b) noexcept { return a.packed_ != b.packed_; }
  friend constexpr bool operator<(Date a, Date b) noexcept { return a.packed_ < b.packed_; }
  friend constexpr bool operator<=(Date a, Date b) noexcept { return a.packed_ <= b.packed_; }
  friend constexpr bool operator>(Date a, Date b) noexcept { return a.packed_ > b.packed_; }
  friend constexpr bool operator>=(Date a, Date b) noexcept { return a.packed_ >= b.packed_; }

 private:
  explicit constexpr Date(std::uint32_t packed) noexcept : packed_(packed) {}
  std::uint32_t packed_ = 0;
};

bool is_valid_date(int year, int month, int day) noexcept;
int days_in_month(int year, int month) noexcept;

/// A year and month (診療年月), stored in 4 bytes. Default: absent.
class YearMonth {
 public:
  constexpr YearMonth() noexcept = default;
  static Result<YearMonth> make(int year, int month);
  /// Parses "YYYYMM" (wire format) or "YYYY-MM".
  static Result<YearMonth> parse(std::string_view text);
  /// parse() without building an error: nullopt where parse() fails.
  static std::optional<YearMonth> try_parse(std::string_view text) noexcept;
  static YearMonth of(Date date) noexcept;

  constexpr bool has_value() const noexcept { return packed_ != 0; }
  constexpr int year() const noexcept { return static_cast<int>(packed_ / 100); }
  constexpr int month() const noexcept { return static_cast<int>(packed_ % 100); }
  constexpr std::uint32_t yyyymm() const noexcept { return packed_; }
  Date first_day() const noexcept;
  Date last_day() const noexcept;

  std::string to_string() const;  ///< "YYYY-MM"
  std::string to_wire() const;    ///< "YYYYMM"

  friend constexpr bool operator==(YearMonth a, YearMonth b) noexcept { return a.packed_ == b.packed_; }
  friend constexpr bool operator!=(YearMonth a, YearMonth b) noexcept { return a.packed_ != b.packed_; }
  friend constexpr bool operator<(YearMonth a, YearMonth b) noexcept { return a.packed_ < b.packed_; }
  friend constexpr bool operator<=(YearMonth a, YearMonth b) noexcept { return a.packed_ <= b.packed_; }

 private:
  explicit constexpr YearMonth(std::uint32_t packed) noexcept : packed_(packed) {}
  std::uint32_t packed_ = 0;
};

// ---------------------------------------------------------------- Text

/// Immutable UTF-8 text shared by reference count (8 bytes per field; copies are cheap and
/// identical strings decoded from one payload share storage). Absent by default; an empty
/// present string is distinct from absent.
class Text {
 public:
  Text() noexcept = default;
  explicit Text(std::string_view text);
  Text(const Text& other) noexcept : rep_(other.rep_) { retain(); }
  Text(Text&& other) noexcept : rep_(other.rep_) { other.rep_ = nullptr; }
  Text& operator=(const Text& other) noexcept;
  Text& operator=(Text&& other) noexcept {
    if (this != &other) {
      release();
      rep_ = other.rep_;
      other.rep_ = nullptr;
    }
    return *this;
  }
  ~Text() { release(); }

  bool has_value() const noexcept { return rep_ != nullptr; }
  std::string_view view() const noexcept {  ///< "" when absent
    if (!rep_) return {};
    return {reinterpret_cast<const char*>(rep_ + 1), rep_->size};
  }
  std::string str() const { return std::string(view()); }
  bool empty() const noexcept { return view().empty(); }

  friend bool operator==(const Text& a, const Text& b) noexcept {
    return a.has_value() == b.has_value() && a.view() == b.view();
  }
  friend bool operator!=(const Text& a, const Text& b) noexcept { return !(a == b); }
  friend bool operator==(const Text& a, std::string_view b) noexcept {
    return a.has_value() && a.view() == b;
  }

 private:
  struct Rep {
    std::atomic<std::uint32_t> refs;
    std::uint32_t size;
  };
  void retain() const noexcept {
    if (rep_) rep_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept {
    if (rep_) release_shared();
    rep_ = nullptr;
  }
  void release_shared() noexcept;  ///< drops one reference; frees the text with the last
  Rep* rep_ = nullptr;
};

// ---------------------------------------------------------------- numbers

/// An exact decimal ("5.6" stays "5.6", "5.60" keeps its two places); 8 bytes.
/// Up to 17 significant digits and 20 fractional digits. Default: absent.
class Decimal {
 public:
  constexpr Decimal() noexcept = default;
  /// Parses "-?digits(.digits)?" exactly; no exponent, no '+', no spaces.
  static Result<Decimal> parse(std::string_view text);
  /// parse() without building an error: nullopt where parse() fails.
  static std::optional<Decimal> try_parse(std::string_view text) noexcept;
  /// mantissa × 10^-scale, e.g. of(56, 1) == 5.6.
  static Result<Decimal> of(std::int64_t mantissa, int scale);

  constexpr bool has_value() const noexcept { return packed_ != 0; }
  std::int64_t mantissa() const noexcept { return packed_ >> kScaleBits; }
  int scale() const noexcept { return static_cast<int>(packed_ & kScaleMask) - 1; }
  bool negative() const noexcept { return mantissa() < 0; }
  std::string to_string() const;  ///< exact text, "" when absent
  /// Nearest double (for arithmetic only; never used for storage or export).
  double to_double() const noexcept;

  /// Same text representation (5.6 != 5.60 here; use numerically_equal for value comparison).
  friend bool operator==(Decimal a, Decimal b) noexcept { return a.packed_ == b.packed_; }
  friend bool operator!=(Decimal a, Decimal b) noexcept { return a.packed_ != b.packed_; }
  static bool numerically_equal(Decimal a, Decimal b) noexcept;

  static constexpr int kMaxScale = 20;
  static constexpr std::int64_t kMaxMantissa = (std::int64_t{1} << 57) - 1;

 private:
  static constexpr int kScaleBits = 5;
  static constexpr std::int64_t kScaleMask = (1 << kScaleBits) - 1;
  std::int64_t packed_ = 0;  // mantissa << 5 | (scale + 1); 0 = absent
};

/// Money in whole yen (non-negative). Default: absent.
class Yen {
 public:
  constexpr Yen() noexcept = default;
  static Result<Yen> make(std::int64_t amount);
  static Result<Yen> parse(std::string_view text);  ///< digits only
  /// parse() without building an error: nullopt where parse() fails.
  static std::optional<Yen> try_parse(std::string_view text) noexcept;
  constexpr bool has_value() const noexcept { return amount_ >= 0; }
  constexpr std::int64_t amount() const noexcept { return amount_; }
  std::string to_string() const;  ///< "1234", "" when absent
  friend constexpr bool operator==(Yen a, Yen b) noexcept { return a.amount_ == b.amount_; }
  friend constexpr bool operator!=(Yen a, Yen b) noexcept { return a.amount_ != b.amount_; }

 private:
  std::int64_t amount_ = -1;
};

/// A non-negative whole number (年齢, 回数, 処方グループ番号). Default: absent.
class Count {
 public:
  constexpr Count() noexcept = default;
  static Result<Count> make(std::int64_t value);
  static Result<Count> parse(std::string_view text);  ///< digits only
  /// parse() without building an error: nullopt where parse() fails.
  static std::optional<Count> try_parse(std::string_view text) noexcept;
  constexpr bool has_value() const noexcept { return value_ >= 0; }
  constexpr std::int32_t value() const noexcept { return value_; }
  std::string to_string() const;
  friend constexpr bool operator==(Count a, Count b) noexcept { return a.value_ == b.value_; }
  friend constexpr bool operator!=(Count a, Count b) noexcept { return a.value_ != b.value_; }

 private:
  std::int32_t value_ = -1;
};

// ---------------------------------------------------------------- codes

/// How a code string is validated (leading zeros always survive).
enum class CodeFormat : std::uint8_t {
  institution_code,    ///< 医療機関(薬局)コード / 特定健診機関番号: 10 digits
  insurer_number,      ///< 保険者番号: 6 or 8 digits
  medicine_code,       ///< レセプト電算処理システム用 医薬品コード: 9 digits
  price_list_code,     ///< 薬価基準収載医薬品コード: 12 characters 0-9 A-Z
  branch_number,       ///< 枝番: 2 digits
};

/// Validates text for a format; returns a message naming what is wrong, or empty when valid.
std::string check_code(CodeFormat format, std::string_view text);
const char* describe(CodeFormat format) noexcept;

/// Storage shared by all code types: up to 15 ASCII characters, 16 bytes.
class CodeString {
 public:
  constexpr CodeString() noexcept = default;
  bool has_value() const noexcept { return size_ != 0; }
  std::string_view view() const noexcept { return {chars_.data(), size_}; }
  std::string str() const { return std::string(view()); }
  friend bool operator==(const CodeString& a, const CodeString& b) noexcept {
    return a.view() == b.view();
  }
  friend bool operator!=(const CodeString& a, const CodeString& b) noexcept { return !(a == b); }

  /// Stores text after validating it against format (used by decoders and Code::parse).
  Status assign(CodeFormat format, std::string_view text);
  /// assign() without building an error: false (value unchanged) where assign() fails.
  bool try_assign(CodeFormat format, std::string_view text) noexcept;

 private:
  std::array<char, 15> chars_{};
  std::uint8_t size_ = 0;
};

/// A validated code of one format, e.g. Code<CodeFormat::medicine_code>.
template <CodeFormat F>
class Code : public CodeString {
 public:
  static constexpr CodeFormat format = F;
  constexpr Code() noexcept = default;
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

/// The code sets used by coded items (男女区分, 報告区分, questionnaire answers, ...).
enum class CodeSetId : std::uint8_t {
  none,
  sex,                    ///< 男女区分
  inpatient_outpatient,   ///< 入外等の別
  treatment_category,     ///< 診療識別等区分 (open set)
  report_category,        ///< 報告区分
  program_service,        ///< 健診プログラムコード
  noteworthy,             ///< 特記すべきことあり/なし (既往歴, 自覚症状, 他覚症状)
  findings,               ///< 所見あり/なし
  yes_no,                 ///< はい/いいえ
  blood_draw_timing,      ///< 採血時間(食後)
  urine_qualitative,      ///< 尿定性 (－ ± ＋ ...)
  target_person,          ///< (対象者) items of 詳細な健診
  ecg_target,             ///< 心電図(対象者)
  fundus_target,          ///< 眼底検査(対象者)
  keith_wagener,          ///< キースワグナー分類
  scheie_h,               ///< シェイエ分類:H
  scheie_s,               ///< シェイエ分類:S
  scott,                  ///< SCOTT分類
  wong_mitchell,          ///< Wong-Mitchell分類
  modified_davis,         ///< 改変Davis分類
  metabolic_syndrome,     ///< メタボリックシンドローム判定
  guidance_level,         ///< 保健指導レベル
  chewing,                ///< 咀嚼
  eating_speed,           ///< 食べ方1(早食い等)
  snacking,               ///< 食べ方3(間食)
  drinking_frequency,     ///< 飲酒
  drinking_amount,        ///< 飲酒量
  lifestyle_improvement,  ///< 生活習慣の改善
  information_method,     ///< 情報提供の方法
  first_interview,        ///< 初回面談実施
  elderly_health,         ///< あなたの現在の健康状態はいかがですか(後期)
  elderly_satisfaction,   ///< 毎日の生活に満足していますか(後期)
  count_
};

/// One code and its meaning.
struct CodeMeaning {
  std::string_view code;
  std::string_view meaning;  ///< Japanese, as in the standard questionnaire / code table
};

/// A set of codes with meanings. A closed set rejects codes not listed; an open set accepts
/// any 1–3 digit code (meanings known for some).
struct CodeSet {
  CodeSetId id;
  std::string_view name;    ///< Japanese name of the code table
  std::string_view system;  ///< FHIR system URI / OID, "" if none is public
  bool closed;
  const CodeMeaning* entries;
  std::size_t size;
};

const CodeSet& code_set(CodeSetId id) noexcept;

/// A coded answer: the code as sent (1–3 ASCII characters) and the set it belongs to; 4 bytes.
class Coded {
 public:
  constexpr Coded() noexcept = default;
  explicit constexpr Coded(CodeSetId set) noexcept : set_(set) {}

  bool has_value() const noexcept { return code_[0] != '\0'; }
  std::string_view code() const noexcept;
  CodeSetId set() const noexcept { return set_; }
  /// The meaning of the code in its set, or "" when the set does not list it.
  std::string_view meaning() const noexcept;

  /// Validates text against the set (closed sets: membership; open: 1–3 digits) and stores it.
  Status assign(std::string_view text);
  /// assign() without building an error: false (value unchanged) where assign() fails.
  bool try_assign(std::string_view text) noexcept;
  void clear() noexcept { code_ = {}; }

  friend bool operator==(const Coded& a, const Coded& b) noexcept {
    return a.set_ == b.set_ && a.code() == b.code();
  }
  friend bool operator!=(const Coded& a, const Coded& b) noexcept { return !(a == b); }

 private:
  std::array<char, 3> code_{};
  CodeSetId set_ = CodeSetId::none;
};

/// For people: the value as to_string() writes it; an absent value as "(absent)", an empty
/// Text as "" (two quotation marks), so that absent and empty never look alike.
std::ostream& operator<<(std::ostream& os, const Date& v);
std::ostream& operator<<(std::ostream& os, const YearMonth& v);
std::ostream& operator<<(std::ostream& os, const Text& v);
std::ostream& operator<<(std::ostream& os, const Decimal& v);
std::ostream& operator<<(std::ostream& os, const Yen& v);
std::ostream& operator<<(std::ostream& os, const Count& v);
std::ostream& operator<<(std::ostream& os, const CodeString& v);
std::ostream& operator<<(std::ostream& os, const Coded& v);

}  // namespace myna
