// The issues of the record being decoded (internal): collected while its values arrive
// (coded answers are read in the period of the record's 実施年月日: at once when it came
// before them, else at the end of the record), sorted into document order, then either moved
// into the record (lenient) or turned into the first one's decode error (strict).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "internal/inlining.hpp"
#include "internal/json_string.hpp"
#include "myna/codec/payload.hpp"
#include "records/coded_writer.hpp"
#include "records/field_values.hpp"

namespace myna::internal {

template <class R>
class RecordIssues {
 public:
  static constexpr std::uint32_t kAtEnd = std::numeric_limits<std::uint32_t>::max();

  /// Catalog index of the item whose date sets the period coded answers are read in
  /// (実施年月日 of a checkup), or -1 for a type without one.
  static constexpr int kPeriodField = [] {
    for (std::size_t i = 0; i < RecordTraits<R>::catalog.size(); ++i)
      if (std::is_same_v<R, CheckupRecord> && RecordTraits<R>::catalog[i].en == "checkup_date")
        return static_cast<int>(i);
    return -1;
  }();

  void start_record() noexcept {
    pending_.clear();
    coded_.clear();
    period_.reset();
  }

  /// Issues of field (catalog index) at document position; field -1 is a key that is no item.
  void add(int field, std::uint32_t position, IssueKind kind) { pending_.push_back({position, field, kind}); }
  void add(int field, std::uint32_t position, const ValueIssues& issues) {
    for (std::uint8_t i = 0; i < issues.count; ++i) add(field, position, issues.kinds[i]);
  }

  /// The period the record's coded answers are read in, once it is settled: the record's
  /// date item has been read (seen) and gave a period, or the type has no date item. Before,
  /// nullopt: answers are then read at the end of the record (so that an unusable date's
  /// ambiguous codes are noted in document order).
  template <class Seen>
  std::optional<CodePeriod> settled_period(const R& record, const Seen& seen) {
    if (period_) return period_;
    if constexpr (kPeriodField < 0) {
      period_ = CodePeriod::unknown;
    } else if (seen[static_cast<std::size_t>(kPeriodField)]) {
      if (const CodePeriod p = record_period(record); p != CodePeriod::unknown) period_ = p;
    }
    return period_;
  }

  /// A valid coded answer (a field of the record being read, which stays where it is until
  /// the record ends): read now in the settled period it already carries, or, while the
  /// period is not settled, at the end of the record.
  MYNA_FORCE_INLINE void coded(int field, std::uint32_t position, Coded& answer, std::optional<CodePeriod> settled) {
    if (!settled) return defer(field, position, answer);
    const std::uint64_t key = CodedWriter::word(answer);
    const Remembered& slot = verdicts_[slot_of(key)];
    if (slot.key != key || slot.verdict != Verdict::fine) note_verdict(field, position, answer);
  }

  /// Reads the coded answers left for the end in the record's period.
  void finish_codes(const R& record) {
    if (coded_.empty()) return;
    const CodePeriod period = record_period(record);
    for (const CodedAnswer& c : coded_) {
      c.answer->set_period(period);
      note_verdict(c.field, c.position, *c.answer);
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
    Coded* answer;  ///< a field of the record being read
    std::uint32_t position;
    int field;
  };

  enum class Verdict : std::uint8_t { fine, unknown, ambiguous };

  MYNA_COLD void defer(int field, std::uint32_t position, Coded& answer) {
    coded_.push_back({&answer, position, field});
  }

  MYNA_COLD void note_verdict(int field, std::uint32_t position, const Coded& answer) {
    const Verdict verdict = verdict_of(answer);
    if (verdict == Verdict::ambiguous)
      add(field, kAtEnd, IssueKind::ambiguous_code);
    else if (verdict == Verdict::unknown)
      add(field, position, IssueKind::unknown_code);
  }

  // What the code tables say about a valid answer, remembered per answer word (set, period
  // and code): a payload repeats a handful of codes, and a table lookup compares strings.
  Verdict verdict_of(const Coded& answer) {
    const std::uint64_t key = CodedWriter::word(answer);
    Remembered& slot = verdicts_[slot_of(key)];
    if (slot.key == key) return slot.verdict;
    const CodeLookup found = answer.lookup();
    slot.key = key;
    slot.verdict = found.ambiguous                                               ? Verdict::ambiguous
                   : (!found.known && code_set(answer.set()).unknown_code_issue) ? Verdict::unknown
                                                                                 : Verdict::fine;
    return slot.verdict;
  }

  static std::size_t slot_of(std::uint64_t key) noexcept {
    return (key * 0x9E3779B97F4A7C15ull) >> (64 - kVerdictBits);
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
    std::uint64_t key = 0;  // no valid answer's word (their lowest bit is 1)
    Verdict verdict = Verdict::fine;
  };

  std::vector<Pending> pending_;
  std::vector<CodedAnswer> coded_;  // answers read at the end of the record
  std::optional<CodePeriod> period_;
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
