// 特定健診情報: table 2.4-3 of the guideline (143 items), grouped by its 項目分類.
// Generated from tools/checkup_table.txt by tools/gen_checkup.py; edit the table, not this file.
// clang-format off
#pragma once

#include "myna/core_export.hpp"
#include "myna/records/catalog.hpp"
#include "myna/records/issues.hpp"

namespace myna {

/// One 特定健診情報 record: members grouped as the table groups its items.
struct MYNA_CORE_API CheckupRecord {
  /// 資格情報 (items 1–12)
  struct Qualification {
    InsurerNumber insurer_number;                            ///< 1 保険者番号
    Text card_symbol;                                        ///< 2 被保険者証等記号
    Text card_number;                                        ///< 3 被保険者証等番号
    BranchNumber branch_number;                              ///< 4 枝番
    Text kana_name;                                          ///< 5 カナ氏名
    Text kana_name_other;                                    ///< 6 カナ氏名(その他)
    Text name;                                               ///< 7 氏名
    Text name_other;                                         ///< 8 氏名(その他)
    Date birth_date;                                         ///< 9 生年月日
    Count age;                                               ///< 10 年齢
    Coded sex1{CodeSetId::sex};                              ///< 11 男女区分1
    Coded sex2{CodeSetId::sex};                              ///< 12 男女区分2
  } qualification;
  /// 特定健診受診情報 (items 13–17)
  struct Visit {
    Coded report_category{CodeSetId::report_category};       ///< 13 報告区分
    Date checkup_date;                                       ///< 14 実施年月日
    Coded program_code{CodeSetId::program_service};          ///< 15 健診プログラムコード
    InstitutionCode institution_number;                      ///< 16 特定健診機関番号
    Text institution_name;                                   ///< 17 特定健診機関名称
  } visit;
  /// 健診情報・基本項目 (items 18–94)
  struct Basic {
    Decimal height;                                          ///< 18 身長 [cm]
    Decimal weight;                                          ///< 19 体重 [kg]
    Decimal bmi;                                             ///< 20 BMI [kg/m2]
    Decimal visceral_fat_area;                               ///< 21 内臓脂肪面積 [cm2]
    Decimal waist_measured;                                  ///< 22 腹囲(実測) [cm]
    Decimal waist_self_judged;                               ///< 23 腹囲(自己判定) [cm]
    Decimal waist_self_reported;                             ///< 24 腹囲(自己申告) [cm]
    Coded medical_history{CodeSetId::noteworthy};            ///< 25 既往歴
    Text medical_history_details;                            ///< 26 具体的な既往歴
    Coded subjective_symptoms{CodeSetId::noteworthy};        ///< 27 自覚症状
    Text subjective_symptom_findings;                        ///< 28 自覚症状所見
    Coded objective_symptoms{CodeSetId::noteworthy};         ///< 29 他覚症状
    Text objective_symptom_findings;                         ///< 30 他覚症状所見
    Decimal systolic_bp_other;                               ///< 31 収縮期血圧(その他) [mm[Hg]]
    Decimal systolic_bp_2nd;                                 ///< 32 収縮期血圧(2回目) [mm[Hg]]
    Decimal systolic_bp_1st;                                 ///< 33 収縮期血圧(1回目) [mm[Hg]]
    Decimal diastolic_bp_other;                              ///< 34 拡張期血圧(その他) [mm[Hg]]
    Decimal diastolic_bp_2nd;                                ///< 35 拡張期血圧(2回目) [mm[Hg]]
    Decimal diastolic_bp_1st;                                ///< 36 拡張期血圧(1回目) [mm[Hg]]
    Coded blood_draw_timing{CodeSetId::blood_draw_timing};   ///< 37 採血時間(食後)
    Decimal triglycerides_visible;                           ///< 38 中性脂肪(可視吸光光度法) [mg/dL]
    Decimal triglycerides_uv;                                ///< 39 中性脂肪(紫外線吸光光度法) [mg/dL]
    Decimal triglycerides_other;                             ///< 40 中性脂肪(その他) [mg/dL]
    Decimal hdl_visible;                                     ///< 41 HDLコレステロール(可視吸光光度法) [mg/dL]
    Decimal hdl_uv;                                          ///< 42 HDLコレステロール(紫外線吸光光度法) [mg/dL]
    Decimal hdl_other;                                       ///< 43 HDLコレステロール(その他) [mg/dL]
    Decimal ldl_visible;                                     ///< 44 LDLコレステロール(可視吸光光度法) [mg/dL]
    Decimal ldl_uv;                                          ///< 45 LDLコレステロール(紫外線吸光光度法) [mg/dL]
    Decimal ldl_calculated;                                  ///< 46 LDLコレステロール(計算法) [mg/dL]
    Decimal ldl_other;                                       ///< 47 LDLコレステロール(その他) [mg/dL]
    Decimal non_hdl;                                         ///< 48 non-HDLコレステロール [mg/dL]
    Decimal ast_uv;                                          ///< 49 GOT(AST)紫外線吸光光度法 [U/L]
    Decimal ast_other;                                       ///< 50 GOT(AST)その他 [U/L]
    Decimal alt_uv;                                          ///< 51 GPT(ALT)紫外線吸光光度法 [U/L]
    Decimal alt_other;                                       ///< 52 GPT(ALT)その他 [U/L]
    Decimal ggt_visible;                                     ///< 53 γ-GT(γ-GTP)可視吸光光度法 [U/L]
    Decimal ggt_other;                                       ///< 54 γ-GT(γ-GTP)その他 [U/L]
    Decimal creatinine_visible;                              ///< 55 血清クレアチニン(可視吸光光度法) [mg/dL]
    Decimal creatinine_other;                                ///< 56 血清クレアチニン(その他) [mg/dL]
    Coded creatinine_target{CodeSetId::creatinine_target};   ///< 57 血清クレアチニン(対象者)
    Text creatinine_reason;                                  ///< 58 血清クレアチニン(実施理由)
    Decimal egfr;                                            ///< 59 eGFR [mL/min/{1.73_m2}]
    Decimal fasting_glucose_electrode;                       ///< 60 空腹時血糖(電位差法) [mg/dL]
    Decimal fasting_glucose_visible;                         ///< 61 空腹時血糖(可視吸光光度法) [mg/dL]
    Decimal fasting_glucose_uv;                              ///< 62 空腹時血糖(紫外線吸光光度法) [mg/dL]
    Decimal fasting_glucose_other;                           ///< 63 空腹時血糖(その他) [mg/dL]
    Decimal random_glucose_electrode;                        ///< 64 随時血糖(電位差法) [mg/dL]
    Decimal random_glucose_visible;                          ///< 65 随時血糖(可視吸光光度法) [mg/dL]
    Decimal random_glucose_uv;                               ///< 66 随時血糖(紫外線吸光光度法) [mg/dL]
    Decimal random_glucose_other;                            ///< 67 随時血糖(その他) [mg/dL]
    Decimal hba1c_immunoassay;                               ///< 68 HbA1c(免疫学的方法) [%]
    Decimal hba1c_hplc;                                      ///< 69 HbA1c(HPLC) [%]
    Decimal hba1c_enzymatic;                                 ///< 70 HbA1c(酵素法) [%]
    Decimal hba1c_other;                                     ///< 71 HbA1c(その他) [%]
    Coded urine_glucose_machine{CodeSetId::urine_qualitative}; ///< 72 尿糖(機械読み取り)
    Coded urine_glucose_visual{CodeSetId::urine_qualitative}; ///< 73 尿糖(目視法)
    Coded urine_protein_machine{CodeSetId::urine_qualitative}; ///< 74 尿蛋白(機械読み取り)
    Coded urine_protein_visual{CodeSetId::urine_qualitative}; ///< 75 尿蛋白(目視法)
    Decimal hematocrit;                                      ///< 76 ヘマトクリット値 [%]
    Decimal hemoglobin;                                      ///< 77 血色素量(ヘモグロビン値) [g/dL]
    Decimal red_blood_cells;                                 ///< 78 赤血球数 [10*4/uL]
    Text anemia_test_reason;                                 ///< 79 貧血検査実施理由
    Coded ecg_findings_present{CodeSetId::findings};         ///< 80 心電図(所見の有無)
    Text ecg_findings;                                       ///< 81 心電図所見
    Coded ecg_target{CodeSetId::ecg_target};                 ///< 82 心電図(対象者)
    Text ecg_reason;                                         ///< 83 心電図実施理由
    Coded fundus_keith_wagener{CodeSetId::keith_wagener};    ///< 84 眼底検査(キースワグナー分類)
    Coded fundus_scheie_h{CodeSetId::scheie_h};              ///< 85 眼底検査(シェイエ分類:H)
    Coded fundus_scheie_s{CodeSetId::scheie_s};              ///< 86 眼底検査(シェイエ分類:S)
    Coded fundus_scott{CodeSetId::scott};                    ///< 87 眼底検査(SCOTT分類)
    Coded fundus_wong_mitchell{CodeSetId::wong_mitchell};    ///< 88 眼底検査(Wong-Mitchell分類)
    Coded fundus_modified_davis{CodeSetId::modified_davis};  ///< 89 眼底検査(改変Davis分類)
    Text fundus_other_findings;                              ///< 90 眼底検査(その他の所見)
    Coded fundus_target{CodeSetId::fundus_target};           ///< 91 眼底検査(対象者)
    Text fundus_reason;                                      ///< 92 眼底検査実施理由
    Coded metabolic_syndrome{CodeSetId::metabolic_syndrome}; ///< 93 メタボリックシンドローム判定
    Coded guidance_level{CodeSetId::guidance_level};         ///< 94 保健指導レベル
  } basic;
  /// 健診情報・医師の判断 (items 95–95)
  struct DoctorJudgement {
    Text judgement;                                          ///< 95 医師の診断(判定)
  } doctor;
  /// 健診情報・質問票(特定健診) (items 96–128)
  struct Questionnaire {
    Coded bp_medication{CodeSetId::yes_no};                  ///< 96 服薬1(血圧)
    Text bp_medication_drug;                                 ///< 97 服薬1(血圧)(薬剤名)
    Text bp_medication_reason;                               ///< 98 服薬1(血圧)(実施理由)
    Text bp_medication_confirmer;                            ///< 99 服薬確認者(血圧)
    Coded glucose_medication{CodeSetId::yes_no};             ///< 100 服薬2(血糖)
    Text glucose_medication_drug;                            ///< 101 服薬2(血糖)(薬剤名)
    Text glucose_medication_reason;                          ///< 102 服薬2(血糖)(実施理由)
    Text glucose_medication_confirmer;                       ///< 103 服薬確認者(血糖)
    Coded lipid_medication{CodeSetId::yes_no};               ///< 104 服薬3(脂質)
    Text lipid_medication_drug;                              ///< 105 服薬3(脂質)(薬剤名)
    Text lipid_medication_reason;                            ///< 106 服薬3(脂質)(実施理由)
    Text lipid_medication_confirmer;                         ///< 107 服薬確認者(脂質)
    Coded history_cerebrovascular{CodeSetId::yes_no};        ///< 108 既往歴1(脳血管)
    Coded history_cardiovascular{CodeSetId::yes_no};         ///< 109 既往歴2(心血管)
    Coded history_renal_failure{CodeSetId::yes_no};          ///< 110 既往歴3(腎不全・人工透析)
    Coded anemia{CodeSetId::yes_no};                         ///< 111 貧血
    Coded smoking{CodeSetId::smoking};                       ///< 112 喫煙
    Coded weight_change_since_20{CodeSetId::yes_no};         ///< 113 20歳からの体重変化
    Coded exercise_habit{CodeSetId::yes_no};                 ///< 114 30分以上の運動習慣
    Coded physical_activity{CodeSetId::yes_no};              ///< 115 歩行又は身体活動
    Coded walking_speed{CodeSetId::yes_no};                  ///< 116 歩行速度
    Coded chewing{CodeSetId::chewing};                       ///< 117 咀嚼
    Coded eating_speed{CodeSetId::eating_speed};             ///< 118 食べ方1(早食い等)
    Coded late_dinner{CodeSetId::yes_no};                    ///< 119 食べ方2(就寝前)
    Coded snacking{CodeSetId::snacking};                     ///< 120 食べ方3(間食)
    Coded skipping_breakfast{CodeSetId::yes_no};             ///< 121 食習慣
    Coded drinking_frequency{CodeSetId::drinking_frequency}; ///< 122 飲酒
    Coded drinking_amount{CodeSetId::drinking_amount};       ///< 123 飲酒量
    Coded sleep{CodeSetId::yes_no};                          ///< 124 睡眠
    Coded lifestyle_improvement{CodeSetId::lifestyle_improvement}; ///< 125 生活習慣の改善
    Coded guidance_wish{CodeSetId::guidance_wish};           ///< 126 保健指導の希望
    Coded information_method{CodeSetId::information_method}; ///< 127 情報提供の方法
    Coded first_interview{CodeSetId::first_interview};       ///< 128 初回面談実施
  } questionnaire;
  /// 特定健診・質問票(後期高齢者健診) (items 129–143)
  struct ElderlyQuestionnaire {
    Coded health_status{CodeSetId::elderly_health};          ///< 129 あなたの現在の健康状態はいかがですか(後期)
    Coded life_satisfaction{CodeSetId::elderly_satisfaction}; ///< 130 毎日の生活に満足していますか(後期)
    Coded three_meals{CodeSetId::elderly_three_meals};       ///< 131 1日3食きちんと食べていますか(後期)
    Coded chewing_difficulty{CodeSetId::elderly_hard_food};  ///< 132 半年前に比べて固いもの(*)が食べにくくなりましたか(後期)
    Coded choking{CodeSetId::elderly_choking};               ///< 133 お茶や汁物等でむせることがありますか(後期)
    Coded weight_loss{CodeSetId::elderly_weight_loss};       ///< 134 6カ月間で2~3kg以上の体重減少がありましたか(後期)
    Coded slower_walking{CodeSetId::elderly_walking_speed};  ///< 135 以前に比べて歩く速度が遅くなってきたと思いますか(後期)
    Coded fall_last_year{CodeSetId::elderly_fall};           ///< 136 この1年間に転んだことがありますか(後期)
    Coded weekly_exercise{CodeSetId::elderly_exercise};      ///< 137 ウォーキング等の運動を週に1回以上していますか(後期)
    Coded forgetfulness{CodeSetId::elderly_forgetfulness};   ///< 138 周りの人から「いつも同じことを聞く」などの物忘れがあると言われていますか(後期)
    Coded date_disorientation{CodeSetId::elderly_date_orientation}; ///< 139 今日が何月何日かわからない時がありますか(後期)
    Coded smoking_elderly{CodeSetId::elderly_smoking};       ///< 140 あなたはたばこを吸いますか(後期)
    Coded weekly_outing{CodeSetId::elderly_outing};          ///< 141 週に1回以上は外出していますか(後期)
    Coded social_contact{CodeSetId::elderly_social};         ///< 142 ふだんから家族や友人と付き合いがありますか(後期)
    Coded someone_to_consult{CodeSetId::elderly_consult};    ///< 143 体調が悪いときに、身近に相談できる人がいますか(後期)
  } elderly_questionnaire;
  /// Items whose value did not fit the SDK's rules, and keys the fields could not hold.
  Issues issues;
};

/// The 項目分類 names of table 2.4-3, in table order.
inline constexpr std::array<std::string_view, 6> kCheckupGroups{{
  "資格情報",
  "特定健診受診情報",
  "健診情報・基本項目",
  "健診情報・医師の判断",
  "健診情報・質問票(特定健診)",
  "特定健診・質問票(後期高齢者健診)",
}};

namespace catalogs {
// clang-format off
inline constexpr std::array<FieldInfo, 143> kCheckup = [] {
  using C = CheckupRecord;  // the rows' member paths
  return std::array<FieldInfo, 143>{{
  with_description(with_group(field<&C::qualification, &C::Qualification::insurer_number>(1, "保険者番号", "insurer_number"), "資格情報"), "最新の保険者番号"),
  with_description(with_group(field<&C::qualification, &C::Qualification::card_symbol>(2, "被保険者証等記号", "card_symbol"), "資格情報"), "最新の被保険者等記号"),
  with_description(with_group(field<&C::qualification, &C::Qualification::card_number>(3, "被保険者証等番号", "card_number"), "資格情報"), "最新の被保険者等番号"),
  with_description(with_group(field<&C::qualification, &C::Qualification::branch_number>(4, "枝番", "branch_number"), "資格情報"), "最新の枝番"),
  with_description(with_group(field<&C::qualification, &C::Qualification::kana_name>(5, "カナ氏名", "kana_name"), "資格情報"), "券面の加入者の氏名カナ"),
  with_description(with_group(field<&C::qualification, &C::Qualification::kana_name_other>(6, "カナ氏名(その他)", "kana_name_other"), "資格情報"), "通称等の理由で券面記載名とは別の氏名カナ"),
  with_description(with_group(field<&C::qualification, &C::Qualification::name>(7, "氏名", "name"), "資格情報"), "券面の加入者の氏名"),
  with_description(with_group(field<&C::qualification, &C::Qualification::name_other>(8, "氏名(その他)", "name_other"), "資格情報"), "通称等の理由で券面記載名とは別の氏名"),
  with_description(with_group(field<&C::qualification, &C::Qualification::birth_date>(9, "生年月日", "birth_date"), "資格情報"), "券面の生年月日"),
  with_description(with_group(field<&C::qualification, &C::Qualification::age>(10, "年齢", "age"), "資格情報"), "年齢"),
  with_codes(with_description(with_group(field<&C::qualification, &C::Qualification::sex1>(11, "男女区分1", "sex1"), "資格情報"), "男女の別を示す区分"), CodeSetId::sex),
  with_codes(with_description(with_group(field<&C::qualification, &C::Qualification::sex2>(12, "男女区分2", "sex2"), "資格情報"), "「平成24年9月21日事務連絡 被保険者証の性別表記について」に基づく取り扱いを設定している場合に設定される男女の別を示す区分"), CodeSetId::sex),
  with_codes(with_group(field<&C::visit, &C::Visit::report_category>(13, "報告区分", "report_category"), "特定健診受診情報"), CodeSetId::report_category),
  with_group(field<&C::visit, &C::Visit::checkup_date>(14, "実施年月日", "checkup_date"), "特定健診受診情報"),
  with_codes(with_group(field<&C::visit, &C::Visit::program_code>(15, "健診プログラムコード", "program_code"), "特定健診受診情報"), CodeSetId::program_service),
  with_group(field<&C::visit, &C::Visit::institution_number>(16, "特定健診機関番号", "institution_number"), "特定健診受診情報"),
  with_group(field<&C::visit, &C::Visit::institution_name>(17, "特定健診機関名称", "institution_name"), "特定健診受診情報"),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::height>(18, "身長", "height"), "健診情報・基本項目"), "cm"), "9N001000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::weight>(19, "体重", "weight"), "健診情報・基本項目"), "kg"), "9N006000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::bmi>(20, "BMI", "bmi"), "健診情報・基本項目"), "kg/m2"), "9N011000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::visceral_fat_area>(21, "内臓脂肪面積", "visceral_fat_area"), "健診情報・基本項目"), "cm2"), "9N021000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::waist_measured>(22, "腹囲(実測)", "waist_measured"), "健診情報・基本項目"), "cm"), "9N016160100000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::waist_self_judged>(23, "腹囲(自己判定)", "waist_self_judged"), "健診情報・基本項目"), "cm"), "9N016160200000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::waist_self_reported>(24, "腹囲(自己申告)", "waist_self_reported"), "健診情報・基本項目"), "cm"), "9N016160300000001")),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::medical_history>(25, "既往歴", "medical_history"), "健診情報・基本項目"), CodeSetId::noteworthy), "9N056000000000011"),
  with_observation_code(with_group(field<&C::basic, &C::Basic::medical_history_details>(26, "具体的な既往歴", "medical_history_details"), "健診情報・基本項目"), "9N056160400000049"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::subjective_symptoms>(27, "自覚症状", "subjective_symptoms"), "健診情報・基本項目"), CodeSetId::noteworthy), "9N061000000000011"),
  with_observation_code(with_group(field<&C::basic, &C::Basic::subjective_symptom_findings>(28, "自覚症状所見", "subjective_symptom_findings"), "健診情報・基本項目"), "9N061160800000049"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::objective_symptoms>(29, "他覚症状", "objective_symptoms"), "健診情報・基本項目"), CodeSetId::noteworthy), "9N066000000000011"),
  with_observation_code(with_group(field<&C::basic, &C::Basic::objective_symptom_findings>(30, "他覚症状所見", "objective_symptom_findings"), "健診情報・基本項目"), "9N066160800000049"),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::systolic_bp_other>(31, "収縮期血圧(その他)", "systolic_bp_other"), "健診情報・基本項目"), "mm[Hg]"), "9A755000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::systolic_bp_2nd>(32, "収縮期血圧(2回目)", "systolic_bp_2nd"), "健診情報・基本項目"), "mm[Hg]"), "9A752000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::systolic_bp_1st>(33, "収縮期血圧(1回目)", "systolic_bp_1st"), "健診情報・基本項目"), "mm[Hg]"), "9A751000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::diastolic_bp_other>(34, "拡張期血圧(その他)", "diastolic_bp_other"), "健診情報・基本項目"), "mm[Hg]"), "9A765000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::diastolic_bp_2nd>(35, "拡張期血圧(2回目)", "diastolic_bp_2nd"), "健診情報・基本項目"), "mm[Hg]"), "9A762000000000001")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::diastolic_bp_1st>(36, "拡張期血圧(1回目)", "diastolic_bp_1st"), "健診情報・基本項目"), "mm[Hg]"), "9A761000000000001")),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::blood_draw_timing>(37, "採血時間(食後)", "blood_draw_timing"), "健診情報・基本項目"), CodeSetId::blood_draw_timing), "9N141000000000011"),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::triglycerides_visible>(38, "中性脂肪(可視吸光光度法)", "triglycerides_visible"), "健診情報・基本項目"), "mg/dL"), "3F015000002327101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::triglycerides_uv>(39, "中性脂肪(紫外線吸光光度法)", "triglycerides_uv"), "健診情報・基本項目"), "mg/dL"), "3F015000002327201")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::triglycerides_other>(40, "中性脂肪(その他)", "triglycerides_other"), "健診情報・基本項目"), "mg/dL"), "3F015000002399901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hdl_visible>(41, "HDLコレステロール(可視吸光光度法)", "hdl_visible"), "健診情報・基本項目"), "mg/dL"), "3F070000002327101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hdl_uv>(42, "HDLコレステロール(紫外線吸光光度法)", "hdl_uv"), "健診情報・基本項目"), "mg/dL"), "3F070000002327201")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hdl_other>(43, "HDLコレステロール(その他)", "hdl_other"), "健診情報・基本項目"), "mg/dL"), "3F070000002399901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::ldl_visible>(44, "LDLコレステロール(可視吸光光度法)", "ldl_visible"), "健診情報・基本項目"), "mg/dL"), "3F077000002327101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::ldl_uv>(45, "LDLコレステロール(紫外線吸光光度法)", "ldl_uv"), "健診情報・基本項目"), "mg/dL"), "3F077000002327201")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::ldl_calculated>(46, "LDLコレステロール(計算法)", "ldl_calculated"), "健診情報・基本項目"), "mg/dL"), "3F077000002391901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::ldl_other>(47, "LDLコレステロール(その他)", "ldl_other"), "健診情報・基本項目"), "mg/dL"), "3F077000002399901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::non_hdl>(48, "non-HDLコレステロール", "non_hdl"), "健診情報・基本項目"), "mg/dL"), "3F069000002391901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::ast_uv>(49, "GOT(AST)紫外線吸光光度法", "ast_uv"), "健診情報・基本項目"), "U/L"), "3B035000002327201")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::ast_other>(50, "GOT(AST)その他", "ast_other"), "健診情報・基本項目"), "U/L"), "3B035000002399901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::alt_uv>(51, "GPT(ALT)紫外線吸光光度法", "alt_uv"), "健診情報・基本項目"), "U/L"), "3B045000002327201")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::alt_other>(52, "GPT(ALT)その他", "alt_other"), "健診情報・基本項目"), "U/L"), "3B045000002399901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::ggt_visible>(53, "γ-GT(γ-GTP)可視吸光光度法", "ggt_visible"), "健診情報・基本項目"), "U/L"), "3B090000002327101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::ggt_other>(54, "γ-GT(γ-GTP)その他", "ggt_other"), "健診情報・基本項目"), "U/L"), "3B090000002399901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::creatinine_visible>(55, "血清クレアチニン(可視吸光光度法)", "creatinine_visible"), "健診情報・基本項目"), "mg/dL"), "3C015000002327101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::creatinine_other>(56, "血清クレアチニン(その他)", "creatinine_other"), "健診情報・基本項目"), "mg/dL"), "3C015000002399901")),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::creatinine_target>(57, "血清クレアチニン(対象者)", "creatinine_target"), "健診情報・基本項目"), CodeSetId::creatinine_target), "3C015161602399911"),
  with_observation_code(with_group(field<&C::basic, &C::Basic::creatinine_reason>(58, "血清クレアチニン(実施理由)", "creatinine_reason"), "健診情報・基本項目"), "3C015161002399949"),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::egfr>(59, "eGFR", "egfr"), "健診情報・基本項目"), "mL/min/{1.73_m2}"), "8A065000002391901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::fasting_glucose_electrode>(60, "空腹時血糖(電位差法)", "fasting_glucose_electrode"), "健診情報・基本項目"), "mg/dL"), "3D010000001926101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::fasting_glucose_visible>(61, "空腹時血糖(可視吸光光度法)", "fasting_glucose_visible"), "健診情報・基本項目"), "mg/dL"), "3D010000002227101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::fasting_glucose_uv>(62, "空腹時血糖(紫外線吸光光度法)", "fasting_glucose_uv"), "健診情報・基本項目"), "mg/dL"), "3D010000001927201")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::fasting_glucose_other>(63, "空腹時血糖(その他)", "fasting_glucose_other"), "健診情報・基本項目"), "mg/dL"), "3D010000001999901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::random_glucose_electrode>(64, "随時血糖(電位差法)", "random_glucose_electrode"), "健診情報・基本項目"), "mg/dL"), "3D010129901926101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::random_glucose_visible>(65, "随時血糖(可視吸光光度法)", "random_glucose_visible"), "健診情報・基本項目"), "mg/dL"), "3D010129902227101")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::random_glucose_uv>(66, "随時血糖(紫外線吸光光度法)", "random_glucose_uv"), "健診情報・基本項目"), "mg/dL"), "3D010129901927201")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::random_glucose_other>(67, "随時血糖(その他)", "random_glucose_other"), "健診情報・基本項目"), "mg/dL"), "3D010129901999901")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hba1c_immunoassay>(68, "HbA1c(免疫学的方法)", "hba1c_immunoassay"), "健診情報・基本項目"), "%"), "3D046000001906202")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hba1c_hplc>(69, "HbA1c(HPLC)", "hba1c_hplc"), "健診情報・基本項目"), "%"), "3D046000001920402")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hba1c_enzymatic>(70, "HbA1c(酵素法)", "hba1c_enzymatic"), "健診情報・基本項目"), "%"), "3D046000001927102")),
  with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hba1c_other>(71, "HbA1c(その他)", "hba1c_other"), "健診情報・基本項目"), "%"), "3D046000001999902")),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::urine_glucose_machine>(72, "尿糖(機械読み取り)", "urine_glucose_machine"), "健診情報・基本項目"), CodeSetId::urine_qualitative), "1A020000000191111"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::urine_glucose_visual>(73, "尿糖(目視法)", "urine_glucose_visual"), "健診情報・基本項目"), CodeSetId::urine_qualitative), "1A020000000190111"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::urine_protein_machine>(74, "尿蛋白(機械読み取り)", "urine_protein_machine"), "健診情報・基本項目"), CodeSetId::urine_qualitative), "1A010000000191111"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::urine_protein_visual>(75, "尿蛋白(目視法)", "urine_protein_visual"), "健診情報・基本項目"), CodeSetId::urine_qualitative), "1A010000000190111"),
  with_range(with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hematocrit>(76, "ヘマトクリット値", "hematocrit"), "健診情報・基本項目"), "%"), "2A040000001930102")), 0, 99.9),
  with_range(with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::hemoglobin>(77, "血色素量(ヘモグロビン値)", "hemoglobin"), "健診情報・基本項目"), "g/dL"), "2A030000001930101")), 0, 30.0),
  with_range(with_comparator(with_observation_code(with_unit(with_group(field<&C::basic, &C::Basic::red_blood_cells>(78, "赤血球数", "red_blood_cells"), "健診情報・基本項目"), "10*4/uL"), "2A020000001930101")), 0, 1000),
  with_observation_code(with_group(field<&C::basic, &C::Basic::anemia_test_reason>(79, "貧血検査実施理由", "anemia_test_reason"), "健診情報・基本項目"), "2A020161001930149"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::ecg_findings_present>(80, "心電図(所見の有無)", "ecg_findings_present"), "健診情報・基本項目"), CodeSetId::findings), "9A110160700000011"),
  with_observation_code(with_group(field<&C::basic, &C::Basic::ecg_findings>(81, "心電図所見", "ecg_findings"), "健診情報・基本項目"), "9A110160800000049"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::ecg_target>(82, "心電図(対象者)", "ecg_target"), "健診情報・基本項目"), CodeSetId::ecg_target), "9A110161600000011"),
  with_observation_code(with_group(field<&C::basic, &C::Basic::ecg_reason>(83, "心電図実施理由", "ecg_reason"), "健診情報・基本項目"), "9A110161000000049"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::fundus_keith_wagener>(84, "眼底検査(キースワグナー分類)", "fundus_keith_wagener"), "健診情報・基本項目"), CodeSetId::keith_wagener), "9E100166000000011"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::fundus_scheie_h>(85, "眼底検査(シェイエ分類:H)", "fundus_scheie_h"), "健診情報・基本項目"), CodeSetId::scheie_h), "9E100166100000011"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::fundus_scheie_s>(86, "眼底検査(シェイエ分類:S)", "fundus_scheie_s"), "健診情報・基本項目"), CodeSetId::scheie_s), "9E100166200000011"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::fundus_scott>(87, "眼底検査(SCOTT分類)", "fundus_scott"), "健診情報・基本項目"), CodeSetId::scott), "9E100166300000011"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::fundus_wong_mitchell>(88, "眼底検査(Wong-Mitchell分類)", "fundus_wong_mitchell"), "健診情報・基本項目"), CodeSetId::wong_mitchell), "9E100166600000011"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::fundus_modified_davis>(89, "眼底検査(改変Davis分類)", "fundus_modified_davis"), "健診情報・基本項目"), CodeSetId::modified_davis), "9E100166500000011"),
  with_observation_code(with_group(field<&C::basic, &C::Basic::fundus_other_findings>(90, "眼底検査(その他の所見)", "fundus_other_findings"), "健診情報・基本項目"), "9E100160900000049"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::fundus_target>(91, "眼底検査(対象者)", "fundus_target"), "健診情報・基本項目"), CodeSetId::fundus_target), "9E100161600000011"),
  with_observation_code(with_group(field<&C::basic, &C::Basic::fundus_reason>(92, "眼底検査実施理由", "fundus_reason"), "健診情報・基本項目"), "9E100161000000049"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::metabolic_syndrome>(93, "メタボリックシンドローム判定", "metabolic_syndrome"), "健診情報・基本項目"), CodeSetId::metabolic_syndrome), "9N501000000000011"),
  with_observation_code(with_codes(with_group(field<&C::basic, &C::Basic::guidance_level>(94, "保健指導レベル", "guidance_level"), "健診情報・基本項目"), CodeSetId::guidance_level), "9N506000000000011"),
  with_observation_code(with_group(field<&C::doctor, &C::DoctorJudgement::judgement>(95, "医師の診断(判定)", "judgement"), "健診情報・医師の判断"), "9N511000000000049"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::bp_medication>(96, "服薬1(血圧)", "bp_medication"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N701000000000011"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::bp_medication_drug>(97, "服薬1(血圧)(薬剤名)", "bp_medication_drug"), "健診情報・質問票(特定健診)"), "9N701167000000049"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::bp_medication_reason>(98, "服薬1(血圧)(実施理由)", "bp_medication_reason"), "健診情報・質問票(特定健診)"), "9N701167100000049"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::bp_medication_confirmer>(99, "服薬確認者(血圧)", "bp_medication_confirmer"), "健診情報・質問票(特定健診)"), "9N702167200000049"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::glucose_medication>(100, "服薬2(血糖)", "glucose_medication"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N706000000000011"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::glucose_medication_drug>(101, "服薬2(血糖)(薬剤名)", "glucose_medication_drug"), "健診情報・質問票(特定健診)"), "9N706167000000049"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::glucose_medication_reason>(102, "服薬2(血糖)(実施理由)", "glucose_medication_reason"), "健診情報・質問票(特定健診)"), "9N706167100000049"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::glucose_medication_confirmer>(103, "服薬確認者(血糖)", "glucose_medication_confirmer"), "健診情報・質問票(特定健診)"), "9N707167200000049"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::lipid_medication>(104, "服薬3(脂質)", "lipid_medication"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N711000000000011"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::lipid_medication_drug>(105, "服薬3(脂質)(薬剤名)", "lipid_medication_drug"), "健診情報・質問票(特定健診)"), "9N711167000000049"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::lipid_medication_reason>(106, "服薬3(脂質)(実施理由)", "lipid_medication_reason"), "健診情報・質問票(特定健診)"), "9N711167100000049"),
  with_observation_code(with_group(field<&C::questionnaire, &C::Questionnaire::lipid_medication_confirmer>(107, "服薬確認者(脂質)", "lipid_medication_confirmer"), "健診情報・質問票(特定健診)"), "9N712167200000049"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::history_cerebrovascular>(108, "既往歴1(脳血管)", "history_cerebrovascular"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N716000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::history_cardiovascular>(109, "既往歴2(心血管)", "history_cardiovascular"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N721000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::history_renal_failure>(110, "既往歴3(腎不全・人工透析)", "history_renal_failure"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N726000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::anemia>(111, "貧血", "anemia"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N731000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::smoking>(112, "喫煙", "smoking"), "健診情報・質問票(特定健診)"), CodeSetId::smoking), "9N736000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::weight_change_since_20>(113, "20歳からの体重変化", "weight_change_since_20"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N741000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::exercise_habit>(114, "30分以上の運動習慣", "exercise_habit"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N746000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::physical_activity>(115, "歩行又は身体活動", "physical_activity"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N751000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::walking_speed>(116, "歩行速度", "walking_speed"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N756000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::chewing>(117, "咀嚼", "chewing"), "健診情報・質問票(特定健診)"), CodeSetId::chewing), "9N872000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::eating_speed>(118, "食べ方1(早食い等)", "eating_speed"), "健診情報・質問票(特定健診)"), CodeSetId::eating_speed), "9N766000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::late_dinner>(119, "食べ方2(就寝前)", "late_dinner"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N771000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::snacking>(120, "食べ方3(間食)", "snacking"), "健診情報・質問票(特定健診)"), CodeSetId::snacking), "9N782000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::skipping_breakfast>(121, "食習慣", "skipping_breakfast"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N781000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::drinking_frequency>(122, "飲酒", "drinking_frequency"), "健診情報・質問票(特定健診)"), CodeSetId::drinking_frequency), "9N786000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::drinking_amount>(123, "飲酒量", "drinking_amount"), "健診情報・質問票(特定健診)"), CodeSetId::drinking_amount), "9N791000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::sleep>(124, "睡眠", "sleep"), "健診情報・質問票(特定健診)"), CodeSetId::yes_no), "9N796000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::lifestyle_improvement>(125, "生活習慣の改善", "lifestyle_improvement"), "健診情報・質問票(特定健診)"), CodeSetId::lifestyle_improvement), "9N801000000000011"),
  with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::guidance_wish>(126, "保健指導の希望", "guidance_wish"), "健診情報・質問票(特定健診)"), CodeSetId::guidance_wish),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::information_method>(127, "情報提供の方法", "information_method"), "健診情報・質問票(特定健診)"), CodeSetId::information_method), "9N950000000000011"),
  with_observation_code(with_codes(with_group(field<&C::questionnaire, &C::Questionnaire::first_interview>(128, "初回面談実施", "first_interview"), "健診情報・質問票(特定健診)"), CodeSetId::first_interview), "9N807000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::health_status>(129, "あなたの現在の健康状態はいかがですか(後期)", "health_status"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_health), "9N932000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::life_satisfaction>(130, "毎日の生活に満足していますか(後期)", "life_satisfaction"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_satisfaction), "9N933000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::three_meals>(131, "1日3食きちんと食べていますか(後期)", "three_meals"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_three_meals), "9N934000000000011"),
  with_observation_code(with_codes(with_description(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::chewing_difficulty>(132, "半年前に比べて固いもの(*)が食べにくくなりましたか(後期)", "chewing_difficulty"), "特定健診・質問票(後期高齢者健診)"), "*さきいか、たくあんなど"), CodeSetId::elderly_hard_food), "9N935000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::choking>(133, "お茶や汁物等でむせることがありますか(後期)", "choking"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_choking), "9N936000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::weight_loss>(134, "6カ月間で2~3kg以上の体重減少がありましたか(後期)", "weight_loss"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_weight_loss), "9N937000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::slower_walking>(135, "以前に比べて歩く速度が遅くなってきたと思いますか(後期)", "slower_walking"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_walking_speed), "9N938000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::fall_last_year>(136, "この1年間に転んだことがありますか(後期)", "fall_last_year"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_fall), "9N939000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::weekly_exercise>(137, "ウォーキング等の運動を週に1回以上していますか(後期)", "weekly_exercise"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_exercise), "9N940000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::forgetfulness>(138, "周りの人から「いつも同じことを聞く」などの物忘れがあると言われていますか(後期)", "forgetfulness"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_forgetfulness), "9N941000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::date_disorientation>(139, "今日が何月何日かわからない時がありますか(後期)", "date_disorientation"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_date_orientation), "9N942000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::smoking_elderly>(140, "あなたはたばこを吸いますか(後期)", "smoking_elderly"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_smoking), "9N943000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::weekly_outing>(141, "週に1回以上は外出していますか(後期)", "weekly_outing"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_outing), "9N944000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::social_contact>(142, "ふだんから家族や友人と付き合いがありますか(後期)", "social_contact"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_social), "9N945000000000011"),
  with_observation_code(with_codes(with_group(field<&C::elderly_questionnaire, &C::ElderlyQuestionnaire::someone_to_consult>(143, "体調が悪いときに、身近に相談できる人がいますか(後期)", "someone_to_consult"), "特定健診・質問票(後期高齢者健診)"), CodeSetId::elderly_consult), "9N946000000000011"),
}};
}();
// clang-format on
}  // namespace catalogs

template <>
struct RecordTraits<CheckupRecord> {
  static constexpr RecordType type = RecordType::checkup;
  static constexpr const auto& catalog = catalogs::kCheckup;
};

}  // namespace myna
