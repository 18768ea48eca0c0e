// 医療費通知情報: table 2.4-4 of the guideline (6 fields).
#pragma once

#include "myna/core_export.hpp"
#include "myna/records/catalog.hpp"
#include "myna/records/issues.hpp"

namespace myna {

/// One 医療費通知情報 record (medical expenses paid at one institution in one month).
struct MYNA_CORE_API MedicalExpenseRecord {
  Text patient_name;          ///< 1 受診者氏名
  Text insurer_name;          ///< 2 保険者名称
  Text unique_code;           ///< 3 ユニークコード
  YearMonth treatment_month;  ///< 4 診療年月
  Text institution_name;      ///< 5 医療機関(薬局)名称
  Yen copayment;              ///< 6 窓口負担相当額
  /// Items whose value did not fit the SDK's rules, and keys the fields could not hold.
  Issues issues;
};

namespace catalogs {
// clang-format off
inline constexpr std::array<FieldInfo, 6> kExpense = [] {
  using E = MedicalExpenseRecord;  // the rows' member paths
  return std::array<FieldInfo, 6>{{
  with_description(field<&E::patient_name>(1, "受診者氏名", "patient_name"), "療養を受けた者の氏名(被保険者氏名)"),
  with_description(field<&E::insurer_name>(2, "保険者名称", "insurer_name"), "保険者の名称"),
  with_description(field<&E::unique_code>(3, "ユニークコード", "unique_code"), "識別番号"),
  with_description(field<&E::treatment_month>(4, "診療年月", "treatment_month"), "受診した年月"),
  with_description(field<&E::institution_name>(5, "医療機関(薬局)名称", "institution_name"), "療養を受けた病院、診療所、薬局その他の者の名称"),
  with_negative_expected(with_description(field<&E::copayment>(6, "窓口負担相当額", "copayment"), "審査支払機関にて算出した窓口負担相当額")),
}};
}();
// clang-format on
}  // namespace catalogs

template <>
struct RecordTraits<MedicalExpenseRecord> {
  static constexpr RecordType type = RecordType::expense;
  static constexpr const auto& catalog = catalogs::kExpense;
};

}  // namespace myna
