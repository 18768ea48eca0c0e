// 薬剤情報 → JP_MedicationDispense. Items without a FHIR element of their own (診療年月, the
// prescribing institution and doctor, 処方箋発行日, 診療識別等区分, 回数, 調剤単位) become
// notes "項目名: 値"; the citizen's identity items go to the Patient.
#include <algorithm>
#include <array>

#include "export/fhir_mappers.hpp"

namespace myna::internal {
namespace {

using D = DrugRecord;

/// Items mapped to FHIR elements (the Patient, identifiers, medication, quantity, dosage…).
/// 年齢 (derivable) and 男女区分2 are not carried. 入外等の別 is a note, not a category: its
/// code table has no published source (docs/records.md).
constexpr std::array<int, 20> kMappedItems{{1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 17, 19, 21, 22, 23, 24, 25, 26, 27, 30}};

bool is_mapped(int item) { return std::find(kMappedItems.begin(), kMappedItems.end(), item) != kMappedItems.end(); }

Json medication(const D& r) {
  Json codings = Json::array();
  if (r.medicine_code.has_value())
    codings.push(coding(fhir_system::kMedicineCode, r.medicine_code.str(), r.drug_name.view()));
  if (r.price_list_code.has_value())
    codings.push(coding(fhir_system::kPriceListCode, r.price_list_code.str(), r.drug_name.view()));
  if (codings.empty() && !r.drug_name.has_value()) return absent_element();
  Json codeable_concept = Json::object();
  if (!codings.empty()) codeable_concept.set("coding", std::move(codings));
  if (r.drug_name.has_value() && !r.drug_name.empty()) codeable_concept.set("text", r.drug_name.view());
  return codeable_concept;
}

/// A quantity in the drug's unit (a local code: the 医薬品マスター unit name, as JP Core allows).
Json drug_quantity(const Decimal& value, const Text& unit, const std::string& unit_system) {
  Json q = Json::object();
  if (value.has_value())
    q.set("value", Json::number(value.to_string()));
  else if (value.unparsed_text())
    q.set("_value", unparsed_element({ValueKind::decimal, &value}));
  else
    q.set("_value", absent_element());
  if (unit.has_value() && !unit.empty())
    q.set("unit", unit.view()).set("system", unit_system).set("code", unit.view());
  else
    q.set("_code", absent_element());
  return q;
}

Json identifier(const char* system, std::string value) {
  Json id = Json::object().set("system", system);
  if (value.empty())
    id.set("_value", absent_element());
  else
    id.set("value", std::move(value));
  return id;
}

Json dosage(const D& r, const std::string& unit_system) {
  Json d = Json::object();
  if (r.dosage_name.has_value() && !r.dosage_name.empty()) d.set("text", r.dosage_name.view());
  if (r.special_instruction.has_value() && !r.special_instruction.empty())
    d.set("additionalInstruction", Json::array().push(text_concept(r.special_instruction.view())));
  if (present(ConstFieldRef{ValueKind::decimal, &r.single_dose}))
    d.set("doseAndRate",
          Json::array().push(Json::object().set("doseQuantity", drug_quantity(r.single_dose, r.unit, unit_system))));
  return d;
}

Json notes(const D& r) {
  Json notes = Json::array();
  for (const FieldInfo& f : catalog<D>()) {
    ConstFieldRef ref = f.of(r);
    // Mapped items are here too when unparsed: their elements cannot hold the received text.
    if ((is_mapped(f.number) && state(ref) != ValueState::unparsed) || !present(ref)) continue;
    std::string text = export_text(ref);
    if (!text.empty()) notes.push(Json::object().set("text", std::string(f.ja) + ": " + text));
  }
  return notes;
}

/// The prescription group (RP) a drug belongs to: same dispensing and prescription.
std::string rp_key(const D& r) {
  return r.institution_code.str() + '|' + r.dispensing_date.to_wire() + '|' + r.prescribing_institution_code.str() +
         '|' + r.prescription_date.to_wire() + '|' + r.prescription_group.to_string();
}

}  // namespace

void DrugMapper::identify(PatientBuilder& patient, const D& r) const {
  patient.name(r.name, r.kana_name, false);
  patient.name(r.name_other, r.kana_name_other, true);
  patient.birth_date(r.birth_date);
  patient.sex(r.sex1);
}

Json DrugMapper::dispense(const D& r, const std::string& url, const std::string& patient, const std::string& pharmacy,
                          const std::string& unit_system) {
  int order = r.prescription_group.has_value() ? ++drugs_per_rp_[rp_key(r)] : 0;
  Json md = new_resource("MedicationDispense", url, "JP_MedicationDispense");
  md.set("identifier", Json::array()
                           .push(identifier(fhir_system::kRpNumber, r.prescription_group.to_string()))
                           .push(identifier(fhir_system::kOrderInRp, order ? std::to_string(order) : "")));
  md.set("status", "completed");
  md.set("medicationCodeableConcept", medication(r));
  md.set("subject", reference(patient));
  if (!pharmacy.empty()) md.set("performer", Json::array().push(Json::object().set("actor", reference(pharmacy))));
  md.set("quantity", drug_quantity(r.quantity, r.unit, unit_system));
  set_date(md, "whenHandedOver", r.dispensing_date, true);
  if (Json n = notes(r); !n.empty()) md.set("note", std::move(n));
  if (Json d = dosage(r, unit_system); !d.empty()) md.set("dosageInstruction", Json::array().push(std::move(d)));
  add_record_extensions(md, r.issues);
  return md;
}

Status DrugMapper::add(Bundle& bundle, const std::string& patient, const D& r) {
  auto pharmacy = organizations_.get(bundle, r.institution_code, r.institution_name);
  if (!pharmacy) return std::move(pharmacy).error();
  std::string url = bundle.full_url("dispense/" + std::to_string(count_++));
  Json md = dispense(r, url, patient, *pharmacy, bundle.options().local_system_base + "drug-unit");
  return bundle.add(url, std::move(md));
}

}  // namespace myna::internal
