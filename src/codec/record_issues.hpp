// The issues of the record being decoded (internal): collected in document order while its
// values arrive, completed at the end of the record (coded answers are read in the period of
// the record's 実施年月日, which may come after them), then either moved into the record
// (lenient) or turned into the first one's decode error (strict).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "internal/json_string.hpp"
#include "myna/codec/payload.hpp"
#include "records/field_values.hpp"

namespace myna::internal {

template <class R>
class RecordIssues {
 public:
  static constexpr std::uint32_t kAtEnd = std::numeric_limits<std::uint32_t>::max();

  void start_record() noexcept {
    pending_.clear();
    coded_.clear();
  }

  /// Issues of field (catalog index) at document position; field -1 is a key that is no item.
  void add(int field, std::uint32_t position, IssueKind kind) { pending_.push_back({position, field, kind}); }
  void add(int field, std::uint32_t position, const ValueIssues& issues) {
    for (std::uint8_t i = 0; i < issues.count; ++i) add(field, position, issues.kinds[i]);
  }
  /// A valid coded answer (a field of the record being read, which stays where it is until
  /// the record ends) with its code, to read at the end of the record.
  void coded(int field, std::uint32_t position, Coded& answer, std::string_view code) {
    coded_.push_back({&answer, code_key(answer.set(), code), position, field});
  }

  /// Reads the coded answers in the record's period and notes unknown and ambiguous codes.
  void finish_codes(const R& record) {
    if (coded_.empty()) return;
    const CodePeriod period = record_period(record);
    for (const CodedAnswer& c : coded_) {
      c.answer->set_period(period);
      const Verdict verdict = verdict_of(c.key | static_cast<std::uint64_t>(period) << 32);
      if (verdict == Verdict::ambiguous)
        add(c.field, kAtEnd, IssueKind::ambiguous_code);
      else if (verdict == Verdict::unknown)
        add(c.field, c.position, IssueKind::unknown_code);
    }
  }

  /// The first issue in document order that strict mode refuses (all but unknown_item).
  const Issue* first_refused(Issue& out, int& field) const {
    const Pending* first = nullptr;
    for (const Pending& p : pending_)
      if (p.kind != IssueKind::unknown_item && (!first || p.position < first->position)) first = &p;
    if (!first) return nullptr;
    out = issue(*first);
    field = first->field;
    return &out;
  }

  /// Moves the issues into the record, in document order.
  void move_into(Issues& issues) {
    if (pending_.empty()) return;
    std::stable_sort(pending_.begin(), pending_.end(),
                     [](const Pending& a, const Pending& b) { return a.position < b.position; });
    for (const Pending& p : pending_) issues.add(issue(p));
  }

 private:
  struct Pending {
    std::uint32_t position;
    int field;
    IssueKind kind;
  };
  struct CodedAnswer {
    Coded* answer;
    std::uint64_t key;  ///< code_key() of the answer
    std::uint32_t position;
    int field;
  };

  enum class Verdict : std::uint8_t { fine, unknown, ambiguous };

  // A valid code (1-3 bytes) in its set as one word: set << 40 | size << 24 | the code's
  // bytes; a period goes in bits 32-39.
  static std::uint64_t code_key(CodeSetId set, std::string_view code) noexcept {
    std::uint64_t key = static_cast<std::uint64_t>(set) << 40 | static_cast<std::uint64_t>(code.size()) << 24;
    for (std::size_t i = 0; i < code.size() && i < 3; ++i)
      key |= static_cast<std::uint64_t>(static_cast<unsigned char>(code[i])) << (8 * i);
    return key;
  }

  // What the code tables say about a valid coded answer, remembered per (set, period, code)
  // key: a payload repeats a handful of codes, and a table lookup compares strings.
  Verdict verdict_of(std::uint64_t key) {
    Remembered& slot = verdicts_[(key * 0x9E3779B97F4A7C15ull) >> (64 - kVerdictBits)];
    if (slot.key == key) return slot.verdict;
    char code[3];
    const auto size = static_cast<std::size_t>(key >> 24 & 0xFF);
    for (std::size_t i = 0; i < size; ++i) code[i] = static_cast<char>(key >> (8 * i) & 0xFF);
    const CodeSet& set = code_set(static_cast<CodeSetId>(key >> 40 & 0xFF));
    const CodeLookup found = set.lookup(std::string_view(code, size), static_cast<CodePeriod>(key >> 32 & 0xFF));
    slot.key = key;
    slot.verdict = found.ambiguous                            ? Verdict::ambiguous
                   : (!found.known && set.unknown_code_issue) ? Verdict::unknown
                                                              : Verdict::fine;
    return slot.verdict;
  }

  static Issue issue(const Pending& p) {
    if (p.field < 0) return Issue{0, {}, p.kind};
    const FieldInfo& info = RecordTraits<R>::catalog[static_cast<std::size_t>(p.field)];
    return Issue{info.number, info.ja, p.kind};
  }

  static CodePeriod record_period(const R& record) noexcept {
    if constexpr (std::is_same_v<R, CheckupRecord>) {
      return code_period(record.visit.checkup_date);
    } else {
      return CodePeriod::unknown;
    }
  }

  struct Remembered {
    std::uint64_t key = ~std::uint64_t{0};  // no valid key: codes have 1-3 bytes
    Verdict verdict = Verdict::fine;
  };

  std::vector<Pending> pending_;
  std::vector<CodedAnswer> coded_;
  // Direct-mapped; a checkup record's code sets, periods and answers make a few hundred keys.
  static constexpr unsigned kVerdictBits = 11;
  std::array<Remembered, std::size_t{1} << kVerdictBits> verdicts_{};
};

/// What strict mode says about an issue (never the value).
inline const char* issue_explanation(IssueKind kind) noexcept {
  switch (kind) {
    case IssueKind::unparsed_value: return "the value does not fit the item's type";
    case IssueKind::unknown_code: return "the code is not in the item's code table";
    case IssueKind::out_of_range: return "the value is outside the documented range";
    case IssueKind::text_repaired: return "the text is not valid UTF-8 (or has an unpaired surrogate escape)";
    case IssueKind::wrong_json_type: return "the value has the wrong JSON type";
    case IssueKind::duplicate_item: return "the item appears twice in the record";
    case IssueKind::unknown_item: return "the key is no item of the table";
    case IssueKind::ambiguous_code: return "the code's meaning depends on the period and 実施年月日 is not usable";
    case IssueKind::count_: break;
  }
  return "unexpected value";
}

/// The form an item's value takes, for strict mode's messages.
inline std::string expected_form(const FieldInfo& info) {
  switch (info.kind) {
    case ValueKind::text: return "a string";
    case ValueKind::date: return "YYYYMMDD or YYYY-MM-DD";
    case ValueKind::year_month: return "YYYYMM or YYYY-MM";
    case ValueKind::count: return "a whole number of at most 9 digits";
    case ValueKind::yen: return "whole yen, at most 15 digits";
    case ValueKind::decimal: return info.comparator_allowed ? "a decimal, optionally after < <= > >=" : "a decimal";
    case ValueKind::code: return describe(info.format);
    case ValueKind::coded: return "a code of 1-3 digits";
  }
  return "?";
}

/// Strict mode's message for an issue of an item (never the value).
inline std::string strict_message(const FieldInfo& info, IssueKind kind) {
  std::string what = std::string(to_string(kind)) + ": " + issue_explanation(kind);
  if (kind == IssueKind::unparsed_value || kind == IssueKind::wrong_json_type)
    what += " (expected " + expected_form(info) + ")";
  return what;
}

/// Compact JSON text of an object or array value, built from the parser's events (keys and
/// strings re-escaped, numbers as received).
class JsonCapture {
 public:
  bool active() const noexcept { return depth_ > 0; }
  void reset() noexcept { depth_ = 0; }
  const std::string& text() const noexcept { return text_; }

  void open(char bracket) {
    if (depth_ == 0) text_.clear();
    separate();
    text_ += bracket;
    ++depth_;
  }
  /// True when the outermost value closed.
  bool close(char bracket) {
    text_ += bracket;
    return --depth_ == 0;
  }
  void key(std::string_view k) {
    separate();
    string(k);
    text_ += ':';
  }
  void scalar(std::string_view raw) {
    separate();
    text_ += raw;
  }
  void string_value(std::string_view s) {
    separate();
    string(s);
  }

 private:
  void separate() {
    if (!text_.empty() && depth_ > 0) {
      const char last = text_.back();
      if (last != '{' && last != '[' && last != ':') text_ += ',';
    }
  }
  void string(std::string_view s) { append_json_string(text_, s); }

  std::string text_;
  std::size_t depth_ = 0;
};

}  // namespace myna::internal
