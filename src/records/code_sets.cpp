// Code tables of the coded items. Meanings follow the standard 特定健診 code tables
// (OIDs under urn:oid:1.2.392.200119.6) as published in the JAMI eCheckup package;
// open sets accept codes not listed (see docs/records.md).
#include <array>

#include "myna/records/values.hpp"

namespace myna {
namespace {

constexpr CodeMeaning kSex[] = {{"1", "男"}, {"2", "女"}};
constexpr CodeMeaning kInpatientOutpatient[] = {{"1", "入院"}, {"2", "外来"}, {"3", "調剤"}};
constexpr CodeMeaning kTreatmentCategory[] = {
    {"21", "内服"}, {"22", "屯服"}, {"23", "外用"}, {"31", "注射(皮下筋肉内)"},
    {"32", "注射(静脈内)"}, {"33", "注射(その他)"}, {"40", "処置"}, {"50", "手術"},
    {"54", "麻酔"}, {"60", "検査・病理"}, {"70", "画像診断"}, {"80", "その他"}};
constexpr CodeMeaning kReportCategory[] = {
    {"10", "特定健診"}, {"40", "健診結果報告"}, {"41", "事業者健診"}, {"42", "自治体検診"},
    {"43", "乳幼児検診"}, {"44", "妊婦検診"}, {"90", "その他検診"}};
constexpr CodeMeaning kProgramService[] = {
    {"000", "不明"}, {"010", "特定健診"}, {"020", "広域連合の保健事業"}, {"030", "事業者健診"},
    {"040", "学校健診"}, {"060", "がん検診"}, {"090", "肝炎検診"}, {"990", "その他の健診(検診)"}};
constexpr CodeMeaning kNoteworthy[] = {{"1", "特記すべきことあり"}, {"2", "特記すべきことなし"}};
constexpr CodeMeaning kFindings[] = {
    {"1", "所見あり"}, {"2", "所見なし"}, {"3", "要再撮影"}, {"4", "マンモグラフィー不適"}};
constexpr CodeMeaning kYesNo[] = {{"1", "はい"}, {"2", "いいえ"}};
constexpr CodeMeaning kBloodDrawTiming[] = {
    {"1", "食後10時間未満"}, {"2", "食後10時間以上"},
    {"3", "食後3.5時間以上10時間未満"}, {"4", "食後3.5時間未満"}};
constexpr CodeMeaning kUrineQualitative[] = {
    {"1", "－"}, {"2", "±"}, {"3", "＋"}, {"4", "＋＋"}, {"5", "＋＋＋"}};
constexpr CodeMeaning kTargetPerson[] = {
    {"0", "詳細な健診の項目として実施しない"}, {"1", "詳細な健診の対象者"}};
constexpr CodeMeaning kEcgTarget[] = {
    {"0", "詳細健診以外で実施"}, {"1", "検査結果による心電図検査対象者"},
    {"2", "不整脈による心電図検査対象者"}};
constexpr CodeMeaning kFundusTarget[] = {
    {"0", "詳細な健診の項目として実施しない"}, {"1", "検査結果による眼底検査対象者"}};
constexpr CodeMeaning kKeithWagener[] = {
    {"1", "0"}, {"2", "Ⅰ"}, {"3", "Ⅱa"}, {"4", "Ⅱb"}, {"5", "Ⅲ"}, {"6", "Ⅳ"}};
constexpr CodeMeaning kGrade0to4[] = {{"1", "0"}, {"2", "1"}, {"3", "2"}, {"4", "3"}, {"5", "4"}};
constexpr CodeMeaning kWongMitchell[] = {{"1", "所見なし"}, {"2", "軽度"}, {"3", "中等度"}, {"4", "重度"}};
constexpr CodeMeaning kModifiedDavis[] = {
    {"1", "網膜症なし"}, {"2", "単純網膜症"}, {"3", "増殖前網膜症"}, {"4", "増殖網膜症"}};
constexpr CodeMeaning kMetabolic[] = {
    {"1", "基準該当"}, {"2", "予備群該当"}, {"3", "非該当"}, {"4", "判定不能"}};
constexpr CodeMeaning kGuidanceLevel[] = {
    {"1", "積極的支援"}, {"2", "動機付け支援"}, {"3", "なし(情報提供)"}, {"4", "判定不能"}};
constexpr CodeMeaning kChewing[] = {{"1", "何でもかんで食べることができる"},
                                    {"2", "歯や歯ぐき、かみあわせなど気になる部分があり、かみにくいことがある"},
                                    {"3", "ほとんどかめない"}};
constexpr CodeMeaning kEatingSpeed[] = {{"1", "速い"}, {"2", "ふつう"}, {"3", "遅い"}};
constexpr CodeMeaning kSnacking[] = {{"1", "毎日"}, {"2", "時々"}, {"3", "ほとんど摂取しない"}};
constexpr CodeMeaning kDrinkingFrequency[] = {
    {"1", "毎日"}, {"2", "時々"}, {"3", "ほとんど飲まない(飲めない)"}};
constexpr CodeMeaning kDrinkingAmount[] = {
    {"1", "1合未満"}, {"2", "1~2合未満"}, {"3", "2~3合未満"}, {"4", "3合以上"}};
constexpr CodeMeaning kLifestyle[] = {
    {"1", "改善するつもりはない"}, {"2", "改善するつもりである(概ね6か月以内)"},
    {"3", "近いうちに(概ね1か月以内)改善するつもりであり、少しずつ始めている"},
    {"4", "既に改善に取り組んでいる(6か月未満)"}, {"5", "既に改善に取り組んでいる(6か月以上)"}};
constexpr CodeMeaning kInformationMethod[] = {
    {"1", "付加価値の高い情報提供"}, {"2", "専門職による対面説明"}, {"3", "1と2両方実施"}};
constexpr CodeMeaning kFirstInterview[] = {{"1", "健診1週間以内に初回面接実施"}};
constexpr CodeMeaning kElderlyHealth[] = {
    {"1", "よい"}, {"2", "まあよい"}, {"3", "ふつう"}, {"4", "あまりよくない"}, {"5", "よくない"}};
constexpr CodeMeaning kElderlySatisfaction[] = {
    {"1", "満足"}, {"2", "やや満足"}, {"3", "やや不満"}, {"4", "不満"}};

template <std::size_t N>
constexpr CodeSet make(CodeSetId id, std::string_view name, std::string_view system, bool closed,
                       const CodeMeaning (&entries)[N]) {
  return CodeSet{id, name, system, closed, entries, N};
}


// Indexed by CodeSetId; the order must follow the enum (checked in tests).
const std::array<CodeSet, static_cast<std::size_t>(CodeSetId::count_)> kSets{{
    {CodeSetId::none, "", "", false, nullptr, 0},
    make(CodeSetId::sex, "男女区分", "", true, kSex),
    make(CodeSetId::inpatient_outpatient, "入外等の別", "", false, kInpatientOutpatient),
    make(CodeSetId::treatment_category, "診療識別等区分", "", false, kTreatmentCategory),
    make(CodeSetId::report_category, "報告区分", "http://jpfhir.jp/fhir/eCheckup/CodeSystem/checkup-report-category", false, kReportCategory),
    make(CodeSetId::program_service, "健診プログラムサービスコード", "urn:oid:1.2.392.200119.6.1002", true, kProgramService),
    make(CodeSetId::noteworthy, "特記すべきこと有無", "urn:oid:1.2.392.200119.6.2001", true, kNoteworthy),
    make(CodeSetId::findings, "所見有無", "urn:oid:1.2.392.200119.6.2002", true, kFindings),
    make(CodeSetId::yes_no, "はい・いいえ", "urn:oid:1.2.392.200119.6.2003", true, kYesNo),
    make(CodeSetId::blood_draw_timing, "採血時間", "urn:oid:1.2.392.200119.6.2202", true, kBloodDrawTiming),
    make(CodeSetId::urine_qualitative, "尿定性検査結果", "urn:oid:1.2.392.200119.6.2102", true, kUrineQualitative),
    make(CodeSetId::target_person, "詳細な健診の対象者", "", false, kTargetPerson),
    make(CodeSetId::ecg_target, "心電図(対象者)", "urn:oid:1.2.392.200119.6.18120", true, kEcgTarget),
    make(CodeSetId::fundus_target, "眼底検査(対象者)", "urn:oid:1.2.392.200119.6.18130", true, kFundusTarget),
    make(CodeSetId::keith_wagener, "眼底検査(キースワグナー分類)", "urn:oid:1.2.392.200119.6.2110", true, kKeithWagener),
    make(CodeSetId::scheie_h, "眼底検査(シェイエ分類:H)", "urn:oid:1.2.392.200119.6.2111", true, kGrade0to4),
    make(CodeSetId::scheie_s, "眼底検査(シェイエ分類:S)", "urn:oid:1.2.392.200119.6.2112", true, kGrade0to4),
    make(CodeSetId::scott, "眼底検査(SCOTT分類)", "urn:oid:1.2.392.200119.6.2113", true, kGrade0to4),
    make(CodeSetId::wong_mitchell, "眼底検査(Wong-Mitchell分類)", "urn:oid:1.2.392.200119.6.18080", true, kWongMitchell),
    make(CodeSetId::modified_davis, "眼底検査(改変Davis分類)", "urn:oid:1.2.392.200119.6.18090", true, kModifiedDavis),
    make(CodeSetId::metabolic_syndrome, "メタボリックシンドローム判定", "urn:oid:1.2.392.200119.6.1008", true, kMetabolic),
    make(CodeSetId::guidance_level, "保健指導レベル", "urn:oid:1.2.392.200119.6.3001", true, kGuidanceLevel),
    make(CodeSetId::chewing, "咀嚼", "urn:oid:1.2.392.200119.6.18030", true, kChewing),
    make(CodeSetId::eating_speed, "食べ方1(早食い等)", "urn:oid:1.2.392.200119.6.2004", true, kEatingSpeed),
    make(CodeSetId::snacking, "食べ方3(間食)", "urn:oid:1.2.392.200119.6.18040", true, kSnacking),
    make(CodeSetId::drinking_frequency, "飲酒", "", false, kDrinkingFrequency),
    make(CodeSetId::drinking_amount, "飲酒量", "", false, kDrinkingAmount),
    make(CodeSetId::lifestyle_improvement, "生活習慣の改善", "urn:oid:1.2.392.200119.6.2007", true, kLifestyle),
    make(CodeSetId::information_method, "情報提供の方法", "urn:oid:1.2.392.200119.6.18050", true, kInformationMethod),
    make(CodeSetId::first_interview, "初回面談実施", "urn:oid:1.2.392.200119.6.18060", true, kFirstInterview),
    make(CodeSetId::elderly_health, "健康状態(後期)", "urn:oid:1.2.392.200119.6.19010", true, kElderlyHealth),
    make(CodeSetId::elderly_satisfaction, "生活満足感(後期)", "urn:oid:1.2.392.200119.6.19020", true, kElderlySatisfaction),
}};

}  // namespace

const CodeSet& code_set(CodeSetId id) noexcept {
  auto index = static_cast<std::size_t>(id);
  return kSets[index < kSets.size() ? index : 0];
}

}  // namespace myna
