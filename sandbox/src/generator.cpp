#include "myna/sandbox/generator.hpp"

#include <array>
#include <cstdio>

namespace myna::sandbox {
namespace {

// splitmix64: small, fast and the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(next() % n) : 0; }
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
  bool chance(double p) { return static_cast<double>(next() >> 11) / 9007199254740992.0 < p; }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& a) {
    return a[below(N)];
  }

 private:
  std::uint64_t s_;
};

std::uint64_t mix(std::uint64_t a, std::uint64_t b) { return Rng(a * 0x100000001B3ull ^ b).next(); }

struct Name {
  const char* kanji;
  const char* kana;
};
constexpr std::array<Name, 16> kSurnames{{{"山田", "ヤマダ"},
                                          {"佐藤", "サトウ"},
                                          {"鈴木", "スズキ"},
                                          {"高橋", "タカハシ"},
                                          {"田中", "タナカ"},
                                          {"伊藤", "イトウ"},
                                          {"渡辺", "ワタナベ"},
                                          {"山本", "ヤマモト"},
                                          {"中村", "ナカムラ"},
                                          {"小林", "コバヤシ"},
                                          {"加藤", "カトウ"},
                                          {"吉田", "ヨシダ"},
                                          {"山口", "ヤマグチ"},
                                          {"松本", "マツモト"},
                                          {"井上", "イノウエ"},
                                          {"木村", "キムラ"}}};
constexpr std::array<Name, 8> kMaleNames{{{"太郎", "タロウ"},
                                          {"健太", "ケンタ"},
                                          {"大輔", "ダイスケ"},
                                          {"翔", "ショウ"},
                                          {"誠", "マコト"},
                                          {"浩二", "コウジ"},
                                          {"隆", "タカシ"},
                                          {"一郎", "イチロウ"}}};
constexpr std::array<Name, 8> kFemaleNames{{{"花子", "ハナコ"},
                                            {"恵子", "ケイコ"},
                                            {"陽子", "ヨウコ"},
                                            {"美咲", "ミサキ"},
                                            {"由美", "ユミ"},
                                            {"さくら", "サクラ"},
                                            {"直子", "ナオコ"},
                                            {"愛", "アイ"}}};

struct Institution {
  const char* code;
  const char* name;
};
constexpr std::array<Institution, 8> kPharmacies{{{"1341234567", "みなと調剤薬局"},
                                                  {"1340012345", "さくら薬局 本町店"},
                                                  {"2740123456", "ひまわり薬局"},
                                                  {"0140234567", "北海道中央薬局"},
                                                  {"4740345678", "つばさ薬局 那覇店"},
                                                  {"1341122334", "青葉ファーマシー"},
                                                  {"2340456789", "なごや駅前薬局"},
                                                  {"1440567890", "よこはま薬局"}}};
constexpr std::array<Institution, 8> kClinics{{{"1310123456", "港内科クリニック"},
                                               {"1310234567", "中央総合病院"},
                                               {"2710345678", "なにわ整形外科"},
                                               {"0110456789", "札幌ファミリークリニック"},
                                               {"4710567890", "那覇こども医院"},
                                               {"1310678901", "青山皮膚科"},
                                               {"2310789012", "名古屋循環器内科"},
                                               {"1410890123", "横浜みなと病院"}}};
constexpr std::array<const char*, 6> kDoctors{{"鈴木 一郎", "高橋 恵", "伊藤 誠", "中村 直樹", "小林 由紀", "加藤 健"}};

struct Drug {
  const char* code;        // レセプト電算 医薬品コード (9 digits)
  const char* price_code;  // 薬価基準収載医薬品コード (12)
  const char* name;
  const char* unit;
  const char* category;  // 診療識別等区分
  const char* usage;     // 用法名称
  const char* dose;      // 一回用量
  const char* per_day;   // 使用量 per day
};
constexpr std::array<Drug, 12> kDrugs{{
    {"620098801", "1149019F1560", "ロキソプロフェンNa錠60mg「サワイ」", "錠", "21", "1日3回毎食後", "1", "3"},
    {"622224401", "2171022F1094", "アムロジピン錠5mg「トーワ」", "錠", "21", "1日1回朝食後", "1", "1"},
    {"620004516", "2329021F1018", "レバミピド錠100mg「EMEC」", "錠", "21", "1日3回毎食後", "1", "3"},
    {"621944701", "3962002F1015", "メトホルミン塩酸塩錠250mgMT「DSEP」", "錠", "21", "1日2回朝夕食後", "1", "2"},
    {"622079201", "2189015F1115", "アトルバスタチン錠10mg「サワイ」", "錠", "21", "1日1回夕食後", "1", "1"},
    {"620007245", "1141007C1075", "カロナール細粒20%", "g", "22", "疼痛時", "0.5", "1.5"},
    {"622103101", "2325003F2015", "ランソプラゾールOD錠15mg「トーワ」", "錠", "21", "1日1回朝食前", "1", "1"},
    {"620160501", "4490026F1020", "モンテルカスト錠10mg「KM」", "錠", "21", "1日1回就寝前", "1", "1"},
    {"620000427", "2649735S1030", "ロキソプロフェンNaテープ100mg「久光」", "枚", "23", "1日1回患部に貼付", "1", "1"},
    {"621988901", "2123016F1024", "ビソプロロールフマル酸塩錠2.5mg「日医工」", "錠", "21", "1日1回朝食後", "1", "1"},
    {"620009115", "1319720Q5046", "ヒアレイン点眼液0.1%", "瓶", "23", "1日5回点眼", "1", "5"},
    {"622658201", "6132015C1056", "セフカペンピボキシル塩酸塩細粒小児用10%「サワイ」", "g", "21", "1日3回毎食後", "0.3",
     "0.9"},
}};

constexpr std::array<const char*, 4> kInsurers{{"全国健康保険協会 東京支部", "健康保険組合連合会 みなと健保",
                                                "東京都港区 国民健康保険", "大阪府後期高齢者医療広域連合"}};
constexpr std::array<const char*, 4> kInsurerNumbers{{"01130012", "06139876", "138057", "39270015"}};

std::string digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng.below(10));
  return s;
}

std::string decimal_text(Rng& rng, int lo_tenths, int hi_tenths, int places) {
  int v = rng.between(lo_tenths, hi_tenths);
  char buf[32];
  if (places == 0)
    std::snprintf(buf, sizeof buf, "%d", v / 10);
  else
    std::snprintf(buf, sizeof buf, "%d.%d", v / 10, v % 10);
  return buf;
}

// Sets a field through the catalog from wire text (the generator speaks the wire format).
template <class R>
void set(R& r, int item, const std::string& text) {
  const FieldInfo* f = find_field<R>(item);
  if (f && !text.empty()) (void)assign_wire_text(*f, f->of(r), text);
}

// Sets one of `count` consecutive items, chosen at random. The value is drawn first: every
// draw is its own statement, so the data does not depend on the compiler's argument order.
template <class R>
void set_one_of(R& r, int first_item, std::size_t count, const std::string& value, Rng& rng) {
  int item = first_item + static_cast<int>(rng.below(count));
  set(r, item, value);
}

// Leaves a few items out of some records, so every item is also seen absent.
template <class R>
void drop_some(R& r, Rng& rng, double p) {
  for (const auto& f : catalog<R>())
    if (rng.chance(p)) clear(f.of(r));
}

int age_on(Date birth, Date day) {
  int age = day.year() - birth.year();
  if (day.month() < birth.month() || (day.month() == birth.month() && day.day() < birth.day())) --age;
  return age;
}

Date day_in(YearMonth ym, Rng& rng) {
  return Date::make(ym.year(), ym.month(), rng.between(1, days_in_month(ym.year(), ym.month()))).value();
}

YearMonth add_months(YearMonth ym, int n) {
  int total = ym.year() * 12 + (ym.month() - 1) + n;
  return YearMonth::make(total / 12, total % 12 + 1).value();
}

template <class R>
std::vector<R> strip(const std::vector<Dated<R>>& dated, const Query* query) {
  std::vector<R> out;
  for (const auto& d : dated) {
    bool in_range =
        !query || (RecordTraits<R>::type == RecordType::checkup ? query->matches_date(d.filter_date)
                                                                : query->matches_month(YearMonth::of(d.filter_date)));
    if (in_range) out.push_back(d.record);
  }
  return out;
}

}  // namespace

YearMonth Generator::first_month() { return YearMonth::make(2022, 1).value(); }
YearMonth Generator::last_month() { return YearMonth::make(2026, 10).value(); }

std::string citizen_id(std::size_t index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "C%07zu", index);
  return buf;
}

long long citizen_index(std::string_view id) {
  if (id.size() != 8 || id[0] != 'C') return -1;
  long long v = 0;
  for (char c : id.substr(1)) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

Citizen Generator::citizen(std::size_t index) const {
  Rng rng(mix(seed_, index * 7 + 1));
  Citizen c;
  c.index = index;
  c.id = citizen_id(index);
  const Name& surname = rng.pick(kSurnames);
  bool male = rng.chance(0.5);
  const Name& given = male ? rng.pick(kMaleNames) : rng.pick(kFemaleNames);
  c.name = Text(std::string(surname.kanji) + " " + given.kanji);
  c.kana_name = Text(std::string(surname.kana) + " " + given.kana);
  if (rng.chance(0.05)) {
    const Name& alt = rng.pick(kSurnames);
    c.name_other = Text(std::string(alt.kanji) + " " + given.kanji);
    c.kana_name_other = Text(std::string(alt.kana) + " " + given.kana);
  }
  int day = rng.between(1, 28), month = rng.between(1, 12), year = rng.between(1938, 2005);
  c.birth_date = Date::make(year, month, day).value();
  c.sex = male ? "1" : "2";
  std::size_t ins = rng.below(kInsurers.size());
  c.insurer_number = InsurerNumber::parse(kInsurerNumbers[ins]).value();
  c.insurer_name = Text(kInsurers[ins]);
  c.card_symbol = Text(ins == 2 ? "港国" : std::to_string(rng.between(100, 9999)));
  c.card_number = Text(std::to_string(rng.between(1, 9999999)));
  c.branch_number = BranchNumber::parse(rng.chance(0.8) ? "00" : "0" + std::to_string(rng.between(1, 9))).value();
  return c;
}

std::vector<Dated<DrugRecord>> Generator::drugs(std::size_t index) const {
  const Citizen c = citizen(index);
  Rng rng(mix(seed_, index * 7 + 2));
  std::vector<Dated<DrugRecord>> out;
  for (YearMonth ym = first_month(); ym <= last_month(); ym = add_months(ym, 1)) {
    int visits = rng.chance(0.45) ? 0 : rng.between(1, 2);
    for (int v = 0; v < visits; ++v) {
      const Institution& pharmacy = rng.pick(kPharmacies);
      const Institution& clinic = rng.pick(kClinics);
      Date issued = day_in(ym, rng);
      Date dispensed = issued;
      const char* doctor = rng.pick(kDoctors);
      std::string doctor_no = digits(rng, 6);
      int groups = rng.between(1, 3);
      for (int g = 1; g <= groups; ++g) {
        const Drug& d = rng.pick(kDrugs);
        int days = rng.pick(std::array<int, 4>{{7, 14, 28, 30}});
        DrugRecord r;
        r.kana_name = c.kana_name;
        r.kana_name_other = c.kana_name_other;
        r.name = c.name;
        r.name_other = c.name_other;
        r.birth_date = c.birth_date;
        set(r, 6, std::to_string(age_on(c.birth_date, dispensed)));
        set(r, 7, c.sex);
        if (rng.chance(0.03)) set(r, 8, c.sex == "1" ? "2" : "1");
        r.treatment_month = ym;
        set(r, 10, rng.chance(0.9) ? "2" : "1");
        set(r, 11, pharmacy.code);
        r.institution_name = Text(pharmacy.name);
        set(r, 13, clinic.code);
        r.prescribing_institution_name = Text(clinic.name);
        r.doctor_number = Text(doctor_no);
        r.doctor_name = Text(doctor);
        r.dispensing_date = dispensed;
        r.prescription_date = issued;
        set(r, 19, std::to_string(g));
        set(r, 20, d.category);
        r.dosage_name = Text(d.usage);
        if (rng.chance(0.08)) r.special_instruction = Text(rng.chance(0.5) ? "粉砕" : "一包化");
        set(r, 23, d.code);
        r.drug_name = Text(d.name);
        r.unit = Text(d.unit);
        set(r, 26, d.per_day);
        set(r, 27, d.dose);
        set(r, 28, std::to_string(days));
        r.dispensing_unit = Text(d.unit);
        set(r, 30, d.price_code);
        drop_some(r, rng, 0.02);
        out.push_back({std::move(r), ym.first_day()});
      }
    }
  }
  return out;
}

namespace {

// The checkup generator's parts, in the order of their random draws (the data depends on it).
void fill_qualification_and_visit(CheckupRecord& r, const Citizen& c, int age, Date day, Rng& rng) {
  auto& q = r.qualification;
  q.insurer_number = c.insurer_number;
  q.card_symbol = c.card_symbol;
  q.card_number = c.card_number;
  q.branch_number = c.branch_number;
  q.kana_name = c.kana_name;
  q.kana_name_other = c.kana_name_other;
  q.name = c.name;
  q.name_other = c.name_other;
  q.birth_date = c.birth_date;
  set(r, 10, std::to_string(age));
  set(r, 11, c.sex);
  if (rng.chance(0.03)) set(r, 12, c.sex == "1" ? "2" : "1");
  set(r, 13, "10");
  r.visit.checkup_date = day;
  set(r, 15, rng.chance(0.9) ? "010" : "020");
  set(r, 16, rng.pick(kClinics).code);
  r.visit.institution_name = Text(rng.pick(kClinics).name);
}

// 身長, 体重, BMI, 内臓脂肪面積, 腹囲.
void fill_body_measurements(CheckupRecord& r, Rng& rng) {
  int height_mm = rng.between(1450, 1850), weight_hg = rng.between(400, 950);
  set(r, 18, decimal_text(rng, height_mm, height_mm, 1));
  set(r, 19, decimal_text(rng, weight_hg, weight_hg, 1));
  double bmi = (weight_hg / 10.0) / ((height_mm / 1000.0) * (height_mm / 1000.0));
  int bmi_tenths = static_cast<int>(bmi * 10 + 0.5);
  set(r, 20, decimal_text(rng, bmi_tenths, bmi_tenths, 1));
  if (rng.chance(0.1)) set(r, 21, decimal_text(rng, 500, 1800, 1));
  set_one_of(r, 22, 3, decimal_text(rng, 650, 1050, 1), rng);  // one 腹囲 form
}

// 既往歴 to γ-GT (items 25-53).
void fill_history_and_blood(CheckupRecord& r, Rng& rng) {
  for (int item : {25, 27, 29}) {
    bool noteworthy = rng.chance(0.25);
    set(r, item, noteworthy ? "1" : "2");
    if (noteworthy) set(r, item + 1, item == 25 ? "高血圧症" : item == 27 ? "頭痛" : "特記なし");
  }
  int bp = rng.pick(std::array<int, 3>{{31, 32, 33}});  // one measurement series
  set(r, bp, std::to_string(rng.between(100, 160)));
  set(r, bp + 3, std::to_string(rng.between(60, 100)));
  set(r, 37, rng.pick(std::array<const char*, 3>{{"2", "3", "4"}}));
  set_one_of(r, 38, 3, std::to_string(rng.between(40, 300)), rng);  // 中性脂肪
  set_one_of(r, 41, 3, std::to_string(rng.between(30, 100)), rng);  // HDL
  set_one_of(r, 44, 4, std::to_string(rng.between(60, 200)), rng);  // LDL
  if (rng.chance(0.3)) set(r, 48, std::to_string(rng.between(80, 230)));
  set_one_of(r, 49, 2, std::to_string(rng.between(10, 60)), rng);   // AST
  set_one_of(r, 51, 2, std::to_string(rng.between(5, 70)), rng);    // ALT
  set_one_of(r, 53, 2, std::to_string(rng.between(10, 120)), rng);  // γ-GT
}

// 血清クレアチニン to 保健指導レベル (items 55-94).
void fill_detailed_exams(CheckupRecord& r, Rng& rng) {
  if (rng.chance(0.4)) {
    set_one_of(r, 55, 2, "0." + std::to_string(rng.between(50, 99)), rng);
    set(r, 57, "1");
    set(r, 58, "血圧高値のため");
    set(r, 59, decimal_text(rng, 450, 1000, 1));
  }
  if (rng.chance(0.6))
    set_one_of(r, 60, 4, std::to_string(rng.between(75, 140)), rng);
  else
    set_one_of(r, 64, 4, std::to_string(rng.between(80, 200)), rng);
  set_one_of(r, 68, 4, decimal_text(rng, 48, 80, 1), rng);  // HbA1c
  set_one_of(r, 72, 2, rng.chance(0.9) ? "1" : "2", rng);   // 尿糖
  set_one_of(r, 74, 2, rng.chance(0.85) ? "1" : "3", rng);  // 尿蛋白
  if (rng.chance(0.3)) {
    set(r, 76, decimal_text(rng, 350, 480, 1));
    set(r, 77, decimal_text(rng, 110, 170, 1));
    set(r, 78, std::to_string(rng.between(380, 550)));
    set(r, 79, "貧血の既往があるため");
  }
  if (rng.chance(0.25)) {
    bool findings = rng.chance(0.3);
    set(r, 80, findings ? "1" : "2");
    if (findings) set(r, 81, "右脚ブロック");
    set(r, 82, rng.chance(0.5) ? "1" : "2");
    set(r, 83, "血圧が基準値以上");
  }
  if (rng.chance(0.15)) {
    set(r, 84, std::to_string(rng.between(1, 6)));
    set(r, 85, std::to_string(rng.between(1, 5)));
    set(r, 86, std::to_string(rng.between(1, 5)));
    set(r, 87, std::to_string(rng.between(1, 5)));
    set(r, 88, std::to_string(rng.between(1, 4)));
    set(r, 89, std::to_string(rng.between(1, 4)));
    set(r, 90, "特記すべき所見なし");
    set(r, 91, "1");
    set(r, 92, "HbA1cが基準値以上");
  }
  set(r, 93, std::to_string(rng.between(1, 4)));
  set(r, 94, std::to_string(rng.between(1, 4)));
}

// 医師の診断 and the 特定健診 questionnaire (items 95-128).
void fill_questionnaire(CheckupRecord& r, Rng& rng) {
  set(r, 95, rng.pick(std::array<const char*, 3>{{"異常なし", "要経過観察", "要精密検査(血圧)"}}));
  for (int item : {96, 100, 104}) {
    bool taking = rng.chance(0.2);
    set(r, item, taking ? "1" : "2");
    if (taking) {
      set(r, item + 1, item == 96 ? "アムロジピン" : item == 100 ? "メトホルミン" : "アトルバスタチン");
      set(r, item + 2, "医師の指示");
      set(r, item + 3, "保険者");
    }
  }
  for (int item = 108; item <= 116; ++item) set(r, item, rng.chance(0.3) ? "1" : "2");
  set(r, 117, std::to_string(rng.between(1, 3)));
  set(r, 118, std::to_string(rng.between(1, 3)));
  set(r, 119, rng.chance(0.3) ? "1" : "2");
  set(r, 120, std::to_string(rng.between(1, 3)));
  set(r, 121, rng.chance(0.2) ? "1" : "2");
  set(r, 122, std::to_string(rng.between(1, 3)));
  set(r, 123, std::to_string(rng.between(1, 4)));
  set(r, 124, rng.chance(0.7) ? "1" : "2");
  set(r, 125, std::to_string(rng.between(1, 5)));
  set(r, 126, rng.chance(0.4) ? "1" : "2");
  if (rng.chance(0.5)) set(r, 127, std::to_string(rng.between(1, 3)));
  if (rng.chance(0.2)) set(r, 128, "1");
}

}  // namespace

std::vector<Dated<CheckupRecord>> Generator::checkups(std::size_t index) const {
  const Citizen c = citizen(index);
  Rng rng(mix(seed_, index * 7 + 3));
  std::vector<Dated<CheckupRecord>> out;
  for (int year = first_month().year(); year <= last_month().year(); ++year) {
    YearMonth ym = YearMonth::make(year, rng.between(4, 10)).value();
    Date day = day_in(ym, rng);
    int age = age_on(c.birth_date, day);
    if (age < 40 || rng.chance(0.2)) continue;  // 特定健診: 40 and over, not every year
    CheckupRecord r;
    fill_qualification_and_visit(r, c, age, day, rng);
    fill_body_measurements(r, rng);
    fill_history_and_blood(r, rng);
    fill_detailed_exams(r, rng);
    fill_questionnaire(r, rng);
    if (age >= 75) {  // 後期高齢者の質問票
      set(r, 129, std::to_string(rng.between(1, 5)));
      set(r, 130, std::to_string(rng.between(1, 4)));
      for (int item = 131; item <= 143; ++item) set(r, item, rng.chance(0.5) ? "1" : "2");
    }
    drop_some(r, rng, 0.01);
    out.push_back({std::move(r), day});
  }
  return out;
}

std::vector<Dated<MedicalExpenseRecord>> Generator::expenses(std::size_t index) const {
  const Citizen c = citizen(index);
  Rng rng(mix(seed_, index * 7 + 4));
  std::vector<Dated<MedicalExpenseRecord>> out;
  int serial = 0;
  for (YearMonth ym = first_month(); ym <= last_month(); ym = add_months(ym, 1)) {
    int visits = rng.chance(0.5) ? 0 : rng.between(1, 3);
    for (int v = 0; v < visits; ++v) {
      MedicalExpenseRecord r;
      r.patient_name = c.name;
      r.insurer_name = c.insurer_name;
      char code[32];
      std::snprintf(code, sizeof code, "%s%06u%04d", c.id.c_str() + 1, static_cast<unsigned>(ym.yyyymm()), ++serial);
      r.unique_code = Text(code);
      r.treatment_month = ym;
      r.institution_name = Text(rng.chance(0.5) ? rng.pick(kClinics).name : rng.pick(kPharmacies).name);
      set(r, 6, std::to_string(rng.chance(0.05) ? 0 : rng.between(1, 300) * 10));
      drop_some(r, rng, 0.02);
      out.push_back({std::move(r), ym.first_day()});
    }
  }
  return out;
}

template <class R>
std::vector<R> Generator::records(std::size_t citizen, const Query& query) const {
  if constexpr (std::is_same_v<R, DrugRecord>)
    return strip(drugs(citizen), &query);
  else if constexpr (std::is_same_v<R, CheckupRecord>)
    return strip(checkups(citizen), &query);
  else
    return strip(expenses(citizen), &query);
}

template <class R>
std::vector<R> Generator::all_records(std::size_t citizen) const {
  if constexpr (std::is_same_v<R, DrugRecord>)
    return strip(drugs(citizen), nullptr);
  else if constexpr (std::is_same_v<R, CheckupRecord>)
    return strip(checkups(citizen), nullptr);
  else
    return strip(expenses(citizen), nullptr);
}

template std::vector<DrugRecord> Generator::records(std::size_t, const Query&) const;
template std::vector<CheckupRecord> Generator::records(std::size_t, const Query&) const;
template std::vector<MedicalExpenseRecord> Generator::records(std::size_t, const Query&) const;
template std::vector<DrugRecord> Generator::all_records(std::size_t) const;
template std::vector<CheckupRecord> Generator::all_records(std::size_t) const;
template std::vector<MedicalExpenseRecord> Generator::all_records(std::size_t) const;

}  // namespace myna::sandbox
