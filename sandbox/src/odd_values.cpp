#include "odd_values.hpp"

#include <array>

namespace myna::internal::sandbox {
namespace {

using myna::sandbox::OddValue;

enum class How { valid, unparsed, extra_key };

struct Variant {
  std::uint16_t item;  ///< 0: a key that is no item
  const char* variant;
  const char* wire;  ///< exactly as sent
  How how;
  IssueKind issue;  ///< what a lenient decode reports (ignored when none)
  bool has_issue;
  const char* key = "";  ///< for extra_key
};

constexpr IssueKind kUnparsed = IssueKind::unparsed_value;

// Drugs: 和暦 調剤日, full-width and negative 使用量, a 9-digit 医療機関コード, invalid UTF-8 in
// 薬剤名, a JSON boolean as 保険医氏名, an unknown key.
constexpr std::array<Variant, 7> kDrug{{
    {17, "wareki_date", "R06.01.15", How::unparsed, kUnparsed, true},
    {26, "full_width_digits", "\xEF\xBC\x92\xEF\xBC\x98", How::unparsed, kUnparsed, true},  // ２８
    {26, "negative_correction", "-28", How::valid, kUnparsed, false},
    {11, "code_of_other_length", "123456789", How::unparsed, kUnparsed, true},
    {24, "invalid_utf8", "\xE3\x83\xAD\xE3\x82\xAD\xE3\x82\xBD\xFF", How::unparsed, IssueKind::text_repaired, true},
    {16, "wrong_json_type", "true", How::unparsed, IssueKind::wrong_json_type, true},
    {0, "unknown_key", "\xE4\xB8\x80\xE5\x8C\x85\xE5\x8C\x96", How::extra_key, IssueKind::unknown_item, true,
     "\xE3\x81\x9D\xE3\x81\xAE\xE4\xBB\x96\xE5\x82\x99\xE8\x80\x83"},  // その他備考: 一包化
}};

// Checkups: an unknown 喫煙 code (ambiguous_code where the record has no 実施年月日), a lab
// value with a comparator, full-width digits in 体重, an unknown key.
constexpr std::array<Variant, 4> kCheckup{{
    {112, "unknown_code", "7", How::valid, IssueKind::unknown_code, true},
    {55, "comparator", "<0.5", How::valid, kUnparsed, false},
    {19, "full_width_digits", "\xEF\xBC\x96\xEF\xBC\x95.2", How::unparsed, kUnparsed, true},  // ６５.2
    {0, "unknown_key", "odd", How::extra_key, IssueKind::unknown_item, true,
     "\xE3\x81\x9D\xE3\x81\xAE\xE4\xBB\x96\xE5\x82\x99\xE8\x80\x83"},
}};

// Expenses: a slash 診療年月, a negative 窓口負担相当額, invalid UTF-8 in 保険者名称, an unknown key.
constexpr std::array<Variant, 4> kExpense{{
    {4, "slash_month", "2024/01", How::unparsed, kUnparsed, true},
    {6, "negative_correction", "-3450", How::valid, kUnparsed, false},
    {2, "invalid_utf8", "\xE5\x8D\x94\xE4\xBC\x9A\xFE", How::unparsed, IssueKind::text_repaired, true},
    {0, "unknown_key", "odd", How::extra_key, IssueKind::unknown_item, true,
     "\xE3\x81\x9D\xE3\x81\xAE\xE4\xBB\x96\xE5\x82\x99\xE8\x80\x83"},
}};

template <class R>
struct VariantsOf;
template <>
struct VariantsOf<DrugRecord> {
  static constexpr const auto& list = kDrug;
};
template <>
struct VariantsOf<CheckupRecord> {
  static constexpr const auto& list = kCheckup;
};
template <>
struct VariantsOf<MedicalExpenseRecord> {
  static constexpr const auto& list = kExpense;
};

}  // namespace

template <class R>
std::size_t odd_variant_count() noexcept {
  return VariantsOf<R>::list.size();
}

template <class R>
OddValue apply_odd_variant(R& record, std::size_t choice) {
  const Variant& v = VariantsOf<R>::list[choice % VariantsOf<R>::list.size()];
  OddValue odd;
  odd.item_number = v.item;
  odd.wire = v.wire;
  odd.variant = v.variant;
  if (v.has_issue) odd.issues.push_back(v.issue);
  if (v.how == How::extra_key) {
    odd.key = v.key;
    record.issues.add_extra(ExtraItem{0, Text(v.key), Text(v.wire), false});
    return odd;
  }
  const FieldInfo* f = find_field<R>(v.item);
  odd.key = std::string(f->ja);
  if (v.how == How::unparsed)
    assign_unparsed(f->of(record), v.wire);
  else
    (void)assign_wire_text(*f, f->of(record), v.wire);
  if (f->kind == ValueKind::coded && v.how == How::valid) {  // read in the record's period
    odd.issues.clear();
    for (const Issue& i : myna::sandbox::code_issues(record))
      if (i.item_number == v.item) odd.issues.push_back(i.kind);
  }
  return odd;
}

#define MYNA_ODD_INSTANTIATE(R)                         \
  template std::size_t odd_variant_count<R>() noexcept; \
  template OddValue apply_odd_variant<R>(R&, std::size_t);
MYNA_ODD_INSTANTIATE(DrugRecord)
MYNA_ODD_INSTANTIATE(CheckupRecord)
MYNA_ODD_INSTANTIATE(MedicalExpenseRecord)
#undef MYNA_ODD_INSTANTIATE

}  // namespace myna::internal::sandbox
