// The SDK's own checks of its FHIR export, beside the npm validators (scripts/ci-fhir):
// Japanese code formats (医薬品コード 9 digits, 薬価基準収載医薬品コード 12, 医療機関コード 10),
// every 特定健診項目コード and coded answer present in the eCheckup CodeSystems, UCUM units,
// profile/category pairs, specimens and references resolving inside the Bundle. The checker
// must report deliberately broken bundles.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

#include "myna/codec/payload.hpp"
#include "myna/export/fhir.hpp"
#include "myna/sandbox/generator.hpp"
#include "support/fill.hpp"

using namespace myna;
using rapidjson::Value;

namespace {

const std::string kPackages = MYNA_FHIR_PACKAGES;

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(text.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  INFO(path);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string str(const Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

/// Code → display of the CodeSystems in the packages, by system URL.
using CodeSystems = std::map<std::string, std::map<std::string, std::string>>;

const CodeSystems& code_systems() {
  static const CodeSystems systems = [] {
    CodeSystems out;
    const char* files[] = {"jp-eChekupReport.r4/package/CodeSystem-specialCheckup-observations-cs.json",
                           "jp-eChekupReport.r4/package/CodeSystem-eCheckup-codeSystem-jlac10SpecimenCode.json"};
    std::vector<std::string> paths(std::begin(files), std::end(files));
    for (int id = 1; id < static_cast<int>(CodeSetId::count_); ++id) {
      const CodeSet& set = code_set(static_cast<CodeSetId>(id));
      for (std::size_t t = 0; t < set.table_count; ++t) {
        std::string system(set.tables[t].system);
        if (system.rfind("urn:oid:1.2.392.200119.6.", 0) == 0)
          paths.push_back("jp-eChekupReport.r4/package/CodeSystem-specialCheckup-choice-" + system.substr(25) +
                          "-cs.json");
      }
    }
    for (const std::string& p : paths) {
      std::ifstream probe(kPackages + "/" + p);
      if (!probe.good()) continue;  // a code set whose CodeSystem the package lacks
      auto doc = parse_json(read_file(kPackages + "/" + p));
      auto& codes = out[doc["url"].GetString()];
      for (const Value& c : doc["concept"].GetArray()) codes[c["code"].GetString()] = str(c, "display");
    }
    return out;
  }();
  return systems;
}

bool all_digits(const std::string& s, std::size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789") == std::string::npos;
}

struct Checker {
  std::string patient_id;
  std::vector<std::string> problems;
  std::set<std::string> urls;

  void fail(const std::string& where, const std::string& what) { problems.push_back(where + ": " + what); }

  void codings(const std::string& where, const Value& codeable) {
    if (!codeable.IsObject() || !codeable.HasMember("coding")) return;
    for (const Value& c : codeable["coding"].GetArray()) {
      std::string system = str(c, "system"), code = str(c, "code");
      if (system == fhir_system::kMedicineCode && !all_digits(code, 9))
        fail(where, "医薬品コード is not 9 digits: " + code);
      if (system == fhir_system::kPriceListCode && !std::regex_match(code, std::regex("[0-9A-Z]{12}")))
        fail(where, "薬価基準収載医薬品コード is not 12 characters: " + code);
      auto known = code_systems().find(system);
      if (known != code_systems().end() && !known->second.count(code)) fail(where, code + " is not in " + system);
      if (known != code_systems().end() && c.HasMember("display") && known->second.at(code) != str(c, "display"))
        fail(where, "display of " + code + " differs from " + system);
    }
  }

  void references(const std::string& where, const Value& v) {
    if (v.IsObject()) {
      for (auto& m : v.GetObject()) {
        if (std::string(m.name.GetString()) == "reference" && m.value.IsString() && !urls.count(m.value.GetString()))
          fail(where, std::string("reference does not resolve: ") + m.value.GetString());
        references(where, m.value);
      }
    } else if (v.IsArray()) {
      for (const Value& e : v.GetArray()) references(where, e);
    }
  }

  void quantity(const std::string& where, const Value& q) {
    if (str(q, "system") != fhir_system::kUcum) fail(where, "valueQuantity is not UCUM");
    if (str(q, "code").empty() || str(q, "code") != str(q, "unit")) fail(where, "valueQuantity without unit code");
    if (!q.HasMember("value") || !std::regex_match(str(q, "value"), std::regex("[0-9]+(\\.[0-9]+)?")))
      fail(where, "valueQuantity value is not an exact decimal");
  }

  void observation(const std::string& where, const Value& r) {
    std::string profile = r["meta"]["profile"][0].GetString();
    std::string category = str(r["category"][0]["coding"][0], "code");
    static const std::map<std::string, std::set<std::string>> kCategories{
        {"JP_Observation_LabResult", {"laboratory"}},
        {"JP_Observation_VitalSigns", {"vital-signs"}},
        {"JP_Observation_BodyMeasurement", {"body-measurement"}},
        {"JP_Observation_Common", {"exam", "survey"}}};
    auto expected = kCategories.find(profile.substr(profile.rfind('/') + 1));
    if (expected == kCategories.end() || !expected->second.count(category))
      fail(where, "category " + category + " does not fit " + profile);
    if (str(r["code"], "text").empty()) fail(where, "code.text is missing");
    if (r["code"].HasMember("coding") && str(r["code"]["coding"][0], "system") != fhir_system::kObservationCode)
      fail(where, "code is not a 特定健診項目コード");
    if (profile.find("LabResult") != std::string::npos && !r.HasMember("specimen")) fail(where, "no specimen");
    if (r.HasMember("valueQuantity")) quantity(where, r["valueQuantity"]);
    if (!r.HasMember("valueQuantity") && !r.HasMember("valueCodeableConcept") && !r.HasMember("valueString") &&
        !r.HasMember("dataAbsentReason"))
      fail(where, "neither a value nor a dataAbsentReason");
  }

  void resource(const std::string& where, const Value& r) {
    std::string type = str(r, "resourceType");
    for (const char* key : {"medicationCodeableConcept", "code", "valueCodeableConcept", "type"})
      if (r.HasMember(key)) codings(where, r[key]);
    if (type == "Organization" && r.HasMember("identifier"))
      for (const Value& id : r["identifier"].GetArray())
        if (str(id, "system") == fhir_system::kInstitutionNo && !all_digits(str(id, "value"), 10))
          fail(where, "医療機関コード is not 10 digits: " + str(id, "value"));
    if (type == "Observation") observation(where, r);
    if (type == "Patient" && str(r["identifier"][0], "value") != patient_id) fail(where, "Patient id differs");
    if (type == "ExplanationOfBenefit" && r.HasMember("total") && str(r["total"][0]["amount"], "currency") != "JPY")
      fail(where, "total is not in JPY");
  }

  /// Checks a whole Bundle; returns the problems found.
  std::vector<std::string> check(const Value& bundle) {
    if (str(bundle, "type") != "collection") fail("Bundle", "type is not collection");
    for (const Value& e : bundle["entry"].GetArray()) {
      std::string url = str(e, "fullUrl");
      if (url != "urn:uuid:" + str(e["resource"], "id")) fail(url, "fullUrl does not match the id");
      if (!urls.insert(url).second) fail(url, "fullUrl is not unique");
    }
    for (const Value& e : bundle["entry"].GetArray()) {
      std::string where = str(e["resource"], "resourceType") + " " + str(e, "fullUrl");
      resource(where, e["resource"]);
      references(where, e["resource"]);
    }
    return problems;
  }
};

template <class R>
std::string export_bundle(const std::vector<R>& records, const std::string& patient) {
  FhirOptions options;
  options.patient_id = patient;
  options.id_seed = "test";
  auto bundle = to_fhir_bundle(records, options);
  REQUIRE(bundle.ok());
  return *bundle;
}

template <class R>
std::vector<std::string> check_export(const std::vector<R>& records, const std::string& patient) {
  auto doc = parse_json(export_bundle(records, patient));
  return Checker{patient, {}, {}}.check(doc);
}

std::map<std::string, int> count_types(const rapidjson::Document& doc) {
  std::map<std::string, int> n;
  for (const Value& e : doc["entry"].GetArray()) {
    const Value& r = e["resource"];
    std::string kind = str(r, "resourceType");
    if (r.HasMember("meta")) kind += std::string(" ") + r["meta"]["profile"][0].GetString();
    ++n[kind];
  }
  return n;
}

/// A corpus telegram (tests/data/variants/) decoded leniently.
template <class R>
std::vector<R> corpus(const std::string& name) {
  auto decoded = codec::decode_result<R>(read_file(std::string(MYNA_TEST_DATA_DIR) + "/variants/" + name + ".telegram"),
                                         Profile{}, DecodeOptions{});
  REQUIRE(decoded);
  return decoded->records;
}

/// The resources of a bundle of one type.
std::vector<const Value*> resources(const Value& bundle, const std::string& type) {
  std::vector<const Value*> out;
  for (const Value& e : bundle["entry"].GetArray())
    if (str(e["resource"], "resourceType") == type) out.push_back(&e["resource"]);
  return out;
}

const Value* observation(const Value& bundle, const std::string& code_text) {
  for (const Value* r : resources(bundle, "Observation"))
    if (str((*r)["code"], "text") == code_text) return r;
  return nullptr;
}

/// The sub-extension `part` of every extension with this url, as text.
std::vector<std::string> extension_parts(const Value& resource, const std::string& url, const char* part) {
  std::vector<std::string> out;
  if (!resource.HasMember("extension")) return out;
  for (const Value& x : resource["extension"].GetArray()) {
    if (str(x, "url") != url) continue;
    for (const Value& p : x["extension"].GetArray())
      if (str(p, "url") == part)
        for (const char* key : {"valueString", "valueCode", "valueInteger"})
          if (p.HasMember(key)) out.push_back(p[key].GetString());
  }
  return out;
}

}  // namespace

TEST_CASE("fhir: every 特定健診項目コード of the catalog exists in the eCheckup CodeSystem") {
  const auto& codes = code_systems().at(fhir_system::kObservationCode);
  CHECK(codes.size() == 322);
  int with_code = 0;
  for (const FieldInfo& f : catalog<CheckupRecord>()) {
    if (f.observation_code.empty()) continue;
    ++with_code;
    INFO(f.number << " " << f.ja << " " << f.observation_code);
    CHECK(codes.count(std::string(f.observation_code)) == 1);
    CHECK(f.observation_code.size() == 17);
  }
  CHECK(with_code == 125);  // items 18–143 except 126 保健指導の希望, which has no code
}

TEST_CASE("fhir: profiles and specimens follow from the catalog") {
  auto profile = [](int item) { return observation_profile(*find_field<CheckupRecord>(item)); };
  CHECK(profile(18) == ObservationProfile::body_measurement);         // 身長 cm
  CHECK(profile(20) == ObservationProfile::body_measurement);         // BMI
  CHECK(profile(22) == ObservationProfile::body_measurement);         // 腹囲
  CHECK(profile(33) == ObservationProfile::vital_signs);              // 収縮期血圧(1回目)
  CHECK(profile(69) == ObservationProfile::lab_result);               // HbA1c(HPLC)
  CHECK(profile(74) == ObservationProfile::lab_result);               // 尿蛋白(機械読み取り)
  CHECK(profile(93) == ObservationProfile::common);                   // メタボリックシンドローム判定
  CHECK(profile(112) == ObservationProfile::common);                  // 喫煙
  CHECK(specimen_material(*find_field<CheckupRecord>(38)) == "023");  // 中性脂肪: 血清
  CHECK(specimen_material(*find_field<CheckupRecord>(72)) == "001");  // 尿糖: 尿
  CHECK(specimen_material(*find_field<CheckupRecord>(69)) == "019");  // HbA1c: 全血
  CHECK(specimen_material(*find_field<CheckupRecord>(18)).empty());
  for (const FieldInfo& f : catalog<CheckupRecord>())
    if (observation_profile(f) == ObservationProfile::lab_result) {
      INFO(f.number << " " << f.ja);
      CHECK(code_systems().at(fhir_system::kSpecimenMaterial).count(std::string(specimen_material(f))) == 1);
    }
}

TEST_CASE("fhir: generated citizens export with valid codes, units and references") {
  sandbox::Generator generator;
  std::map<std::string, int> totals;
  for (std::size_t c = 0; c < 8; ++c) {
    const std::string id = sandbox::citizen_id(c);
    INFO(id);
    auto drugs = generator.all_records<DrugRecord>(c);
    auto checkups = generator.all_records<CheckupRecord>(c);
    auto expenses = generator.all_records<MedicalExpenseRecord>(c);
    CHECK(check_export(drugs, id).empty());
    CHECK(check_export(checkups, id).empty());
    CHECK(check_export(expenses, id).empty());
    for (const auto& [kind, n] : count_types(parse_json(export_bundle(checkups, id)))) totals[kind] += n;
  }
  CHECK(totals["Observation http://jpfhir.jp/fhir/core/StructureDefinition/JP_Observation_LabResult"] > 50);
  CHECK(totals["Observation http://jpfhir.jp/fhir/core/StructureDefinition/JP_Observation_VitalSigns"] > 5);
  CHECK(totals["Specimen http://jpfhir.jp/fhir/core/StructureDefinition/JP_Specimen"] > 5);
}

TEST_CASE("fhir: the checker reports deliberately broken bundles") {
  auto broken = [&](const std::string& bundle, const std::string& from, const std::string& to) {
    std::string text = bundle;
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    auto doc = parse_json(text);
    return Checker{"C0000001", {}, {}}.check(doc);
  };
  DrugRecord d = test::filled<DrugRecord>(3);
  const std::string drugs = export_bundle(std::vector<DrugRecord>{d}, "C0000001");
  const std::string checkups = export_bundle(std::vector<CheckupRecord>{test::filled<CheckupRecord>(3)}, "C0000001");
  REQUIRE(broken(drugs, "", "").empty());  // intact
  REQUIRE(broken(checkups, "", "").empty());
  const std::string medicine = "\"code\":\"" + d.medicine_code.str() + "\"";
  CHECK(broken(drugs, medicine, "\"code\":\"" + d.medicine_code.str().substr(1) + "\"").size() == 1);  // 8 digits
  const std::string institution = "\"value\":\"" + d.institution_code.str() + "\"";
  CHECK_FALSE(broken(drugs, institution, "\"value\":\"" + d.institution_code.str().substr(1) + "\"").empty());
  CHECK_FALSE(broken(checkups, "\"code\":\"9N001000000000001\"", "\"code\":\"9N001000000000099\"").empty());
  CHECK_FALSE(broken(checkups, "\"system\":\"http://unitsofmeasure.org\"", "\"system\":\"urn:x\"").empty());
  CHECK_FALSE(broken(checkups, "JP_SimpleObservationCategory_CS\",\"code\":\"laboratory\"",
                     "JP_SimpleObservationCategory_CS\",\"code\":\"exam\"")
                  .empty());
  CHECK_FALSE(broken(checkups, "\"reference\":\"urn:uuid:", "\"reference\":\"urn:uuid:0").empty());
}

TEST_CASE("fhir: measured, absent and empty items; exact values") {
  CheckupRecord r = test::filled<CheckupRecord>(5);
  r.basic.hba1c_hplc = Decimal::parse("5.60").value();
  r.basic.ecg_findings = Text("");              // present but empty
  clear(find_field<CheckupRecord>(19)->of(r));  // 体重 not measured
  auto doc = parse_json(export_bundle(std::vector<CheckupRecord>{r}, "C0000042"));
  CHECK(Checker{"C0000042", {}, {}}.check(doc).empty());
  std::map<std::string, const Value*> by_code;
  for (const Value& e : doc["entry"].GetArray()) {
    const Value& res = e["resource"];
    if (str(res, "resourceType") == "Observation") by_code[str(res["code"], "text")] = &res;
  }
  REQUIRE(by_code.count("HbA1c(HPLC)"));
  CHECK(str((*by_code["HbA1c(HPLC)"])["valueQuantity"], "value") == "5.60");
  CHECK(str((*by_code["HbA1c(HPLC)"])["valueQuantity"], "code") == "%");
  CHECK(by_code.count("体重") == 0);  // not measured: no Observation
  REQUIRE(by_code.count("心電図所見"));
  CHECK_FALSE(by_code["心電図所見"]->HasMember("valueString"));
  CHECK(str((*by_code["心電図所見"])["dataAbsentReason"]["coding"][0], "code") == "unknown");
  REQUIRE(by_code.count("保健指導の希望"));  // no 特定健診項目コード: text only
  CHECK_FALSE((*by_code["保健指導の希望"])["code"].HasMember("coding"));
  // every item of 健診情報 that has a value is one Observation
  std::size_t expected = 0;
  for (const FieldInfo& f : catalog<CheckupRecord>()) expected += f.number >= 18 && has_value(f.of(std::as_const(r)));
  CHECK(by_code.size() == expected);
}

TEST_CASE("fhir: drug, patient and expense mapping") {
  DrugRecord d = test::filled<DrugRecord>(2);
  d.name = Text("山田 太郎");
  d.kana_name = Text("ヤマダ タロウ");
  auto doc = parse_json(export_bundle(std::vector<DrugRecord>{d}, "user-7"));
  CHECK(Checker{"user-7", {}, {}}.check(doc).empty());
  const Value* dispense = nullptr;
  const Value* patient = nullptr;
  for (const Value& e : doc["entry"].GetArray()) {
    if (str(e["resource"], "resourceType") == "MedicationDispense") dispense = &e["resource"];
    if (str(e["resource"], "resourceType") == "Patient") patient = &e["resource"];
  }
  REQUIRE(dispense);
  REQUIRE(patient);
  CHECK(str((*dispense)["medicationCodeableConcept"]["coding"][0], "code") == d.medicine_code.str());
  CHECK(str((*dispense)["medicationCodeableConcept"]["coding"][1], "code") == d.price_list_code.str());
  CHECK(str((*dispense)["quantity"], "value") == d.quantity.to_string());
  CHECK(str(*dispense, "whenHandedOver") == d.dispensing_date.to_string());
  CHECK(str((*patient)["name"][0], "family") == "山田");
  CHECK(str((*patient)["name"][1], "text") == "ヤマダ タロウ");

  MedicalExpenseRecord e;
  e.patient_name = Text("山田 花子");
  e.copayment = Yen::make(0).value();  // zero yen is a value, not absent
  auto edoc = parse_json(export_bundle(std::vector<MedicalExpenseRecord>{e}, "user-8"));
  CHECK(Checker{"user-8", {}, {}}.check(edoc).empty());
  bool eob_seen = false;
  for (const Value& entry : edoc["entry"].GetArray()) {
    const Value& r = entry["resource"];
    if (str(r, "resourceType") != "ExplanationOfBenefit") continue;
    eob_seen = true;
    CHECK(str(r["total"][0]["amount"], "value") == "0");
    CHECK(r.HasMember("insurer"));  // required: data-absent-reason when the name is absent
    CHECK(r["insurer"].HasMember("extension"));
  }
  CHECK(eob_seen);
}

TEST_CASE("fhir: ids are reproducible with a seed; patient id is required") {
  sandbox::Generator generator;
  auto records = generator.all_records<MedicalExpenseRecord>(2);
  CHECK(export_bundle(records, "C0000002") == export_bundle(records, "C0000002"));
  std::ostringstream out;
  auto writer = make_fhir_writer<DrugRecord>(out, FhirOptions{});
  REQUIRE_FALSE(writer.ok());
  CHECK(writer.error().category() == ErrorCategory::validation);
}

TEST_CASE("fhir: the variant corpus exports with valid codes and references") {
  for (const char* name : {"checkup_q4_codes_2024", "checkup_q4_codes_in_2023", "checkup_elderly_questionnaire",
                           "checkup_lab_comparators", "checkup_period_unknown", "checkup_wrong_json_types"}) {
    INFO(name);
    CHECK(check_export(corpus<CheckupRecord>(name), "C0000001").empty());
  }
  for (const char* name : {"drug_wareki_dates", "drug_unsourced_code_sets", "drug_negative_quantity"}) {
    INFO(name);
    CHECK(check_export(corpus<DrugRecord>(name), "C0000001").empty());
  }
}

TEST_CASE("fhir: comparators, negative amounts and values kept as received") {
  auto lab = parse_json(export_bundle(corpus<CheckupRecord>("checkup_lab_comparators"), "C1"));
  int with_comparator = 0;
  for (const Value* r : resources(lab, "Observation"))
    if (r->HasMember("valueQuantity") && (*r)["valueQuantity"].HasMember("comparator")) {
      ++with_comparator;
      const std::string c = str((*r)["valueQuantity"], "comparator");
      CHECK((c == "<" || c == "<=" || c == ">" || c == ">="));
    }
  CHECK(with_comparator == 4);

  auto expense = parse_json(export_bundle(corpus<MedicalExpenseRecord>("expense_negative_copayment"), "C1"));
  REQUIRE_FALSE(resources(expense, "ExplanationOfBenefit").empty());
  CHECK(str((*resources(expense, "ExplanationOfBenefit")[0])["total"][0]["amount"], "value") == "-3450");

  // 和暦 dates: whenHandedOver cannot hold 調剤日 → data-absent-reason `error` + the received text;
  // the issue names the item, never the value.
  auto drugs = corpus<DrugRecord>("drug_wareki_dates");
  auto doc = parse_json(export_bundle(drugs, "C1"));
  const Value& md = *resources(doc, "MedicationDispense").at(0);
  REQUIRE(md.HasMember("_whenHandedOver"));
  const std::string received(*drugs[0].dispensing_date.unparsed_text());
  bool reason = false, text = false;
  for (const Value& x : md["_whenHandedOver"]["extension"].GetArray()) {
    reason = reason || str(x, "valueCode") == "error";
    text = text || (str(x, "url") == "urn:mynaportal-sdk:fhir:received-text" && str(x, "valueString") == received);
  }
  CHECK(reason);
  CHECK(text);
  auto kinds = extension_parts(md, "urn:mynaportal-sdk:fhir:issue", "kind");
  auto items = extension_parts(md, "urn:mynaportal-sdk:fhir:issue", "item");
  CHECK(kinds == std::vector<std::string>(drugs[0].issues.size(), "unparsed_value"));
  CHECK(std::find(items.begin(), items.end(), "17") != items.end());
}

TEST_CASE("fhir: coded answers use the CodeSystem of their question and period; unknown codes stay text") {
  // 2024: 第4期 tables (喫煙 112 has a code 2 in both; 飲酒 122 code 4 exists only from 2024-04-01).
  auto q4 = parse_json(export_bundle(corpus<CheckupRecord>("checkup_q4_codes_2024"), "C1"));
  const Value* drinking = observation(q4, "飲酒");
  REQUIRE(drinking);
  CHECK(str((*drinking)["valueCodeableConcept"]["coding"][0], "code") == "4");
  CHECK_FALSE(str((*drinking)["valueCodeableConcept"]["coding"][0], "system").empty());
  // The same codes in 2023 are unknown there: no system claimed, the code kept as text, the issue on the Observation.
  auto q3 = parse_json(export_bundle(corpus<CheckupRecord>("checkup_q4_codes_in_2023"), "C1"));
  const Value* old = observation(q3, "飲酒");
  REQUIRE(old);
  CHECK_FALSE((*old)["valueCodeableConcept"].HasMember("coding"));
  CHECK(str((*old)["valueCodeableConcept"], "text") == "4");
  CHECK(extension_parts(*old, "urn:mynaportal-sdk:fhir:issue", "kind") == std::vector<std::string>{"unknown_code"});
  // 後期高齢者 questions 131–143: each its own CodeSystem (not one shared yes/no system).
  auto elderly = parse_json(export_bundle(corpus<CheckupRecord>("checkup_elderly_questionnaire"), "C1"));
  std::set<std::string> systems;
  int answers = 0;
  for (const FieldInfo& f : catalog<CheckupRecord>()) {
    if (f.number < 131 || f.number > 143) continue;
    const Value* obs = observation(elderly, std::string(f.ja));
    if (!obs || !(*obs)["valueCodeableConcept"].HasMember("coding")) continue;
    ++answers;
    systems.insert(str((*obs)["valueCodeableConcept"]["coding"][0], "system"));
  }
  CHECK(answers >= 5);
  CHECK(systems.size() == static_cast<std::size_t>(answers));
}

TEST_CASE("fhir: code tables without a published source derive no category") {
  auto doc = parse_json(export_bundle(corpus<DrugRecord>("drug_unsourced_code_sets"), "C1"));
  const Value& md = *resources(doc, "MedicationDispense").at(0);
  CHECK_FALSE(md.HasMember("category"));  // 入外等の別 is kept as a note
  bool noted = false;
  for (const Value& n : md["note"].GetArray()) noted = noted || str(n, "text") == "入外等の別: 4";
  CHECK(noted);
  CHECK_FALSE(code_set(CodeSetId::inpatient_outpatient).fhir_category_use);
}

TEST_CASE("fhir: a checkup without results becomes an Encounter that keeps its issues and extra items") {
  auto records = corpus<CheckupRecord>("checkup_without_results");
  REQUIRE(records.size() == 1);
  CHECK(check_export(records, "C1").empty());
  auto doc = parse_json(export_bundle(records, "C1"));
  CHECK(resources(doc, "Observation").empty());
  const auto encounters = resources(doc, "Encounter");
  REQUIRE(encounters.size() == 1);
  const Value& enc = *encounters[0];
  CHECK(std::string(enc["meta"]["profile"][0].GetString()) ==
        "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Encounter");
  CHECK(str(enc, "status") == "finished");
  CHECK(str(enc["period"], "start") == "2024-06-15");
  CHECK(enc.HasMember("serviceProvider"));
  CHECK(extension_parts(enc, "urn:mynaportal-sdk:fhir:issue", "kind") ==
        std::vector<std::string>{"unparsed_value", "unknown_item"});
  const auto received = extension_parts(enc, "urn:mynaportal-sdk:fhir:received-item", "text");
  CHECK(std::find(received.begin(), received.end(), "58歳") != received.end());
  CHECK(std::find(received.begin(), received.end(), "受診中止") != received.end());

  // With any result item there is no Encounter: the first Observation carries the record.
  auto with_results = corpus<CheckupRecord>("checkup_lab_comparators");
  CHECK(resources(parse_json(export_bundle(with_results, "C1")), "Encounter").empty());
}
