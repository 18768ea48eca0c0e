// 薬剤情報: table 2.4-2 of the guideline (30 fields).
#pragma once

#include "myna/core_export.hpp"
#include "myna/records/catalog.hpp"
#include "myna/records/issues.hpp"

namespace myna {

/// One 薬剤情報 record (a drug prescribed or dispensed), fields in table order.
struct MYNA_CORE_API DrugRecord {
  Text kana_name;                                               ///< 1 カナ氏名
  Text kana_name_other;                                         ///< 2 カナ氏名(その他)
  Text name;                                                    ///< 3 氏名
  Text name_other;                                              ///< 4 氏名(その他)
  Date birth_date;                                              ///< 5 生年月日
  Count age;                                                    ///< 6 年齢
  Coded sex1{CodeSetId::sex};                                   ///< 7 男女区分1
  Coded sex2{CodeSetId::sex};                                   ///< 8 男女区分2
  YearMonth treatment_month;                                    ///< 9 診療年月
  Coded inpatient_outpatient{CodeSetId::inpatient_outpatient};  ///< 10 入外等の別
  InstitutionCode institution_code;                             ///< 11 医療機関(薬局)コード
  Text institution_name;                                        ///< 12 医療機関(薬局)名称
  InstitutionCode prescribing_institution_code;                 ///< 13 処方箋発行医療機関コード
  Text prescribing_institution_name;                            ///< 14 処方箋発行医療機関名称
  Text doctor_number;                                           ///< 15 医師番号
  Text doctor_name;                                             ///< 16 保険医氏名
  Date dispensing_date;                                         ///< 17 調剤日
  Date prescription_date;                                       ///< 18 処方箋発行日
  Count prescription_group;                                     ///< 19 処方グループ番号
  Coded treatment_category{CodeSetId::treatment_category};      ///< 20 診療識別等区分
  Text dosage_name;                                             ///< 21 用法名称
  Text special_instruction;                                     ///< 22 特別指示
  MedicineCode medicine_code;                                   ///< 23 医薬品コード
  Text drug_name;                                               ///< 24 薬剤名
  Text unit;                                                    ///< 25 単位
  Decimal quantity;                                             ///< 26 使用量
  Decimal single_dose;                                          ///< 27 一回用量
  Count times;                                                  ///< 28 回数
  Text dispensing_unit;                                         ///< 29 調剤単位
  PriceListCode price_list_code;                                ///< 30 薬価基準収載医薬品コード
  /// Items whose value did not fit the SDK's rules, and keys the fields could not hold.
  Issues issues;
};

namespace catalogs {
// clang-format off
inline constexpr std::array<FieldInfo, 30> kDrug = [] {
  using D = DrugRecord;  // the rows' member paths
  return std::array<FieldInfo, 30>{{
  with_description(field<&D::kana_name>(1, "カナ氏名", "kana_name"), "券面の加入者の氏名カナ"),
  with_description(field<&D::kana_name_other>(2, "カナ氏名(その他)", "kana_name_other"), "通称等の理由で券面記載名とは別の氏名カナ"),
  with_description(field<&D::name>(3, "氏名", "name"), "券面の加入者の氏名"),
  with_description(field<&D::name_other>(4, "氏名(その他)", "name_other"), "通称等の理由で券面記載名とは別の氏名"),
  with_description(field<&D::birth_date>(5, "生年月日", "birth_date"), "券面の生年月日"),
  with_description(field<&D::age>(6, "年齢", "age"), "年齢"),
  with_codes(with_description(field<&D::sex1>(7, "男女区分1", "sex1"), "男女の別を示す区分"), CodeSetId::sex),
  with_codes(with_description(field<&D::sex2>(8, "男女区分2", "sex2"), "「平成24年9月21日事務連絡 被保険者証の性別表記について」に基づく取り扱いを設定している場合に設定される男女の別を示す区分"), CodeSetId::sex),
  with_description(field<&D::treatment_month>(9, "診療年月", "treatment_month"), "診療年月"),
  with_codes(with_description(field<&D::inpatient_outpatient>(10, "入外等の別", "inpatient_outpatient"), "入院、外来等を示す区分"), CodeSetId::inpatient_outpatient),
  with_description(field<&D::institution_code>(11, "医療機関(薬局)コード", "institution_code"), "調剤した医療機関又は薬局のコード"),
  with_description(field<&D::institution_name>(12, "医療機関(薬局)名称", "institution_name"), "医療機関(薬局)コードから診療年月時点の医療機関等マスターの名称"),
  with_description(field<&D::prescribing_institution_code>(13, "処方箋発行医療機関コード", "prescribing_institution_code"), "処方箋を発行した医療機関コード"),
  with_description(field<&D::prescribing_institution_name>(14, "処方箋発行医療機関名称", "prescribing_institution_name"), "処方箋発行医療機関コードから診療年月時点の医療機関等マスターの名称"),
  with_description(field<&D::doctor_number>(15, "医師番号", "doctor_number"), "医師番号"),
  with_description(field<&D::doctor_name>(16, "保険医氏名", "doctor_name"), "保険医氏名"),
  with_description(field<&D::dispensing_date>(17, "調剤日", "dispensing_date"), "診療年月日、調剤年月日または実施年月日"),
  with_description(field<&D::prescription_date>(18, "処方箋発行日", "prescription_date"), "処方箋の発行年月日"),
  with_description(field<&D::prescription_group>(19, "処方グループ番号", "prescription_group"), "処方箋におけるRP番号相当の番号"),
  with_codes(with_description(field<&D::treatment_category>(20, "診療識別等区分", "treatment_category"), "診療識別等を示す区分"), CodeSetId::treatment_category),
  with_description(field<&D::dosage_name>(21, "用法名称", "dosage_name"), "用法名称"),
  with_description(field<&D::special_instruction>(22, "特別指示", "special_instruction"), "用法の特別指示"),
  with_description(field<&D::medicine_code>(23, "医薬品コード", "medicine_code"), "医薬品コード"),
  with_description(field<&D::drug_name>(24, "薬剤名", "drug_name"), "医薬品コードから診療年月時点の医薬品マスターの医薬品名・規格名の漢字名称(省略名称)"),
  with_description(field<&D::unit>(25, "単位", "unit"), "医薬品コードから診療年月時点の医薬品マスターの単位の漢字名称"),
  with_negative_expected(with_description(field<&D::quantity>(26, "使用量", "quantity"), "医薬品の使用量")),
  with_negative_expected(with_description(field<&D::single_dose>(27, "一回用量", "single_dose"), "1回用量")),
  with_description(field<&D::times>(28, "回数", "times"), "回数、調剤数量または算定当該日の回数"),
  with_description(field<&D::dispensing_unit>(29, "調剤単位", "dispensing_unit"), "診療識別等区分に対応する内容"),
  with_description(field<&D::price_list_code>(30, "薬価基準収載医薬品コード", "price_list_code"), "医薬品コードから診療年月時点の医薬品マスターの薬価基準収載医薬品コード"),
}};
}();
// clang-format on
}  // namespace catalogs

template <>
struct RecordTraits<DrugRecord> {
  static constexpr RecordType type = RecordType::drug;
  static constexpr const auto& catalog = catalogs::kDrug;
};

}  // namespace myna
