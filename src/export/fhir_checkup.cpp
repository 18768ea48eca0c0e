// 特定健診情報 → one Observation per item of 健診情報 (items 18–143) that has a value, on the
// JP Core profile observation_profile() picks; coded with the 特定健診項目コード where the item
// has one. Laboratory items reference a Specimen of their JLAC10 material. The qualification
// items feed the Patient; 特定健診機関 becomes the performer; 実施年月日 the effective date.
// A checkup without any of items 18–143 becomes a JP_Encounter (the visit) instead.
#include <array>

#include "export/fhir_mappers.hpp"

namespace myna::internal {
namespace {

using C = CheckupRecord;

constexpr const char* kCategorySystem = "http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS";
constexpr const char* kAbsentReasonSystem = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
constexpr const char* kActCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

struct Material {
  std::string_view code, name;
};
/// JLAC10 材料コード of the 特定健診 laboratory items (names as in JP Core's CodeSystem).
constexpr std::array<Material, 4> kMaterials{
    {{"001", "尿(含むその他)"}, {"019", "全血(添加物入り)"}, {"022", "血漿"}, {"023", "血清"}}};

std::string_view material_name(std::string_view code) {
  for (const Material& m : kMaterials)
    if (m.code == code) return m.name;
  return {};
}

bool is_observation_item(const FieldInfo& f) {
  return f.group != kCheckupGroups[0] && f.group != kCheckupGroups[1];  // not 資格情報 / 受診情報
}

bool is_questionnaire(const FieldInfo& f) { return f.group.find("質問票") != std::string_view::npos; }

const char* profile_name(ObservationProfile p) {
  switch (p) {
    case ObservationProfile::body_measurement: return "JP_Observation_BodyMeasurement";
    case ObservationProfile::vital_signs: return "JP_Observation_VitalSigns";
    case ObservationProfile::lab_result: return "JP_Observation_LabResult";
    case ObservationProfile::common: break;
  }
  return "JP_Observation_Common";
}

const char* category_code(const FieldInfo& f, ObservationProfile p) {
  switch (p) {
    case ObservationProfile::body_measurement: return "body-measurement";
    case ObservationProfile::vital_signs: return "vital-signs";
    case ObservationProfile::lab_result: return "laboratory";
    case ObservationProfile::common: break;
  }
  return is_questionnaire(f) ? "survey" : "exam";
}

Json item_code(const FieldInfo& f) {
  Json code = Json::object();
  if (!f.observation_code.empty())
    code.set("coding", Json::array().push(coding(fhir_system::kObservationCode, f.observation_code)));
  return code.set("text", f.ja);
}

/// Sets value[x] of an Observation from a field; a present empty text has no value but a
/// dataAbsentReason (FHIR strings cannot be empty), so it stays distinct from "not measured"
/// (no Observation at all).
void set_value(Json& obs, const FieldInfo& f, ConstFieldRef ref) {
  if (state(ref) == ValueState::unparsed && !(ref.kind == ValueKind::text && has_value(ref))) {
    obs.set("valueString", export_text(ref));  // as received: the value did not fit the item's type
  } else if (ref.kind == ValueKind::decimal) {
    const auto& d = *static_cast<const Decimal*>(ref.ptr);
    Json quantity = Json::object().set("value", Json::number(d.to_string()));
    if (d.comparator() != Comparator::none) quantity.set("comparator", std::string(to_string(d.comparator())));
    obs.set("valueQuantity", quantity.set("unit", f.unit).set("system", fhir_system::kUcum).set("code", f.unit));
  } else if (ref.kind == ValueKind::coded) {
    obs.set("valueCodeableConcept", coded_concept(*static_cast<const Coded*>(ref.ptr)));
  } else if (std::string text = export_text(ref); !text.empty()) {
    obs.set("valueString", std::move(text));
  } else {
    obs.set("dataAbsentReason", codeable(coding(kAbsentReasonSystem, "unknown", "Unknown"), "空欄"));
  }
}

bool has_observation(const C& r, int item) {
  for (const FieldInfo& f : catalog<C>())
    if (f.number == item) return is_observation_item(f) && present(f.of(r));
  return false;
}

/// What belongs to the record rather than to one item goes to its first Observation: the
/// issues of items without an Observation, the extra items, and the received text of
/// unparsed qualification / visit items (their elements cannot hold it).
void add_record_level(Json& obs, const C& r) {
  add_issues(obs, r.issues, [&r](int item) { return !has_observation(r, item); });
  for (const ExtraItem* e = r.issues.extra_begin(); e != r.issues.extra_end(); ++e)
    add_extension(obs, extra_item_extension(*e));
  for (const FieldInfo& f : catalog<C>())
    if (!is_observation_item(f) && state(f.of(r)) == ValueState::unparsed)
      add_extension(obs, received_item_extension(f.number, f.ja, export_text(f.of(r))));
}

/// A checkup none of whose items 18–143 is present: the visit as a JP_Encounter, which then
/// carries what belongs to the record (its issues, extra items, received texts).
Json visit_encounter(const std::string& url, const std::string& patient, const std::string& performer, const C& r) {
  Json enc = new_resource("Encounter", url, "JP_Encounter");
  enc.set("status", "finished");
  enc.set("class", coding(kActCodeSystem, "AMB", "ambulatory"));
  enc.set("type", Json::array().push(text_concept("特定健康診査")));
  enc.set("subject", reference(patient));
  if (r.visit.checkup_date.has_value())
    enc.set("period", Json::object().set("start", r.visit.checkup_date.to_string()));
  if (!performer.empty()) enc.set("serviceProvider", reference(performer));
  add_record_level(enc, r);
  return enc;
}

}  // namespace

void CheckupMapper::identify(PatientBuilder& patient, const C& r) const {
  const auto& q = r.qualification;
  patient.name(q.name, q.kana_name, false);
  patient.name(q.name_other, q.kana_name_other, true);
  patient.birth_date(q.birth_date);
  patient.sex(q.sex1);
  patient.insurance(q.insurer_number, q.card_symbol, q.card_number, q.branch_number);
}

Result<std::string> CheckupMapper::specimen(Bundle& bundle, const std::string& patient, const C& r,
                                            std::string_view material) {
  if (auto it = specimens_.find(std::string(material)); it != specimens_.end()) return it->second;
  std::string url = bundle.full_url("specimen/" + std::to_string(count_) + "/" + std::string(material));
  Json s = new_resource("Specimen", url, "JP_Specimen");
  s.set("type", codeable(coding(fhir_system::kSpecimenMaterial, material, material_name(material))));
  s.set("subject", reference(patient));
  if (r.visit.checkup_date.has_value())
    s.set("collection", Json::object().set("collectedDateTime", r.visit.checkup_date.to_string()));
  if (Status st = bundle.add(url, std::move(s)); !st) return std::move(st).error();
  specimens_.emplace(std::string(material), url);
  return url;
}

Status CheckupMapper::add(Bundle& bundle, const std::string& patient, const C& r) {
  auto performer = organizations_.get(bundle, r.visit.institution_number, r.visit.institution_name);
  if (!performer) return std::move(performer).error();
  specimens_.clear();
  bool first = true;
  for (const FieldInfo& f : catalog<C>()) {
    ConstFieldRef ref = f.of(r);
    if (!is_observation_item(f) || !present(ref)) continue;
    ObservationProfile profile = observation_profile(f);
    std::string url = bundle.full_url("observation/" + std::to_string(count_) + "/" + std::to_string(f.number));
    Json obs = new_resource("Observation", url, profile_name(profile));
    obs.set("status", "final");
    obs.set("category", Json::array().push(codeable(coding(kCategorySystem, category_code(f, profile)))));
    obs.set("code", item_code(f));
    obs.set("subject", reference(patient));
    set_date(obs, "effectiveDateTime", r.visit.checkup_date, profile == ObservationProfile::lab_result);
    if (!performer->empty()) obs.set("performer", Json::array().push(reference(*performer)));
    set_value(obs, f, ref);
    add_issues(obs, r.issues, [&f](int item) { return item == f.number; });
    if (first) add_record_level(obs, r);
    first = false;
    if (profile == ObservationProfile::lab_result) {
      auto s = specimen(bundle, patient, r, specimen_material(f));
      if (!s) return std::move(s).error();
      obs.set("specimen", reference(*s));
    }
    if (Status st = bundle.add(url, std::move(obs)); !st) return st;
  }
  if (first) {
    std::string url = bundle.full_url("encounter/" + std::to_string(count_));
    if (Status st = bundle.add(url, visit_encounter(url, patient, *performer, r)); !st) return st;
  }
  ++count_;
  return {};
}

}  // namespace myna::internal
