// FHIR R4 export following JP Core 1.1.2: each export is one Bundle (type collection,
// fullUrl urn:uuid:…) holding the citizen's JP_Patient and:
//  - 薬剤情報 → one JP_MedicationDispense per record, drug coded with the レセプト電算 医薬品コード
//    (urn:oid:1.2.392.100495.20.2.71) and the 薬価基準収載医薬品コード (.72), the dispensing
//    JP_Organization (医療機関コード system …/insurance-medical-institution-no);
//  - 特定健診情報 → one Observation per item with a value, coded with the 特定健診項目コード
//    (urn:oid:1.2.392.200119.6.1005): JP_Observation_BodyMeasurement (length, mass, area,
//    BMI), JP_Observation_VitalSigns (blood pressure), JP_Observation_LabResult (JLAC10
//    laboratory items, with their Specimen), JP_Observation_Common for findings, judgements
//    and questionnaire answers (category survey); UCUM units; the checkup's JP_Organization;
//  - 医療費通知情報 → base R4 ExplanationOfBenefit (JP Core has none) with Coverage and the
//    insurer and provider Organizations.
// Required elements whose item is absent carry the data-absent-reason extension.
// The mapping, item by item, is in docs/export.md.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "myna/core_export.hpp"
#include "myna/export/writer.hpp"

namespace myna {

/// FHIR system URIs used by the export.
namespace fhir_system {
inline constexpr const char* kMedicineCode = "urn:oid:1.2.392.100495.20.2.71";  ///< レセプト電算 医薬品コード
inline constexpr const char* kPriceListCode = "urn:oid:1.2.392.100495.20.2.72";  ///< 薬価基準収載医薬品コード
inline constexpr const char* kInstitutionNo =
    "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";       ///< 医療機関コード (10 digits)
inline constexpr const char* kObservationCode = "urn:oid:1.2.392.200119.6.1005";  ///< 特定健診項目コード
inline constexpr const char* kUcum = "http://unitsofmeasure.org";
inline constexpr const char* kRpNumber = "urn:oid:1.2.392.100495.20.3.81";   ///< RP 番号
inline constexpr const char* kOrderInRp = "urn:oid:1.2.392.100495.20.3.82";  ///< RP 内の順番
inline constexpr const char* kSpecimenMaterial =
    "http://jpfhir.jp/fhir/core/CodeSystem/JP_ObservationSampleMaterialCode_CS";  ///< JLAC10 材料コード
inline constexpr const char* kInsuranceMember =
    "http://jpfhir.jp/fhir/eCS/Idsysmem/JP_Insurance_memberID";  ///< 保険者番号:記号:番号:枝番
}  // namespace fhir_system

struct FhirOptions {
  /// The application's id of the citizen: Patient.identifier.value (required, non-empty).
  std::string patient_id;
  /// Prefix of the systems the SDK defines itself: "{base}citizen" (Patient.identifier),
  /// "{base}drug-unit" (drug units as local codes, as JP Core allows), "{base}unique-code"
  /// (医療費通知 ユニークコード). Replace it with a URI of your organisation.
  std::string local_system_base = "urn:mynaportal-sdk:";
  /// ExplanationOfBenefit.created and Bundle.timestamp (FHIR instant, e.g.
  /// "2026-01-31T09:00:00+09:00"); "" = the time of export.
  std::string created;
  /// Seed of the urn:uuid ids: the same seed and records give the same ids (name-based
  /// UUIDs); "" = a random seed per export.
  std::string id_seed;
  bool pretty = false;  ///< indented JSON
};

/// A writer of one Bundle to `out` (which must outlive the writer): resources are written as
/// records arrive; the Patient comes last, from every record's identity items. A validation
/// error when patient_id is empty.
template <class R>
MYNA_CORE_API Result<std::unique_ptr<RecordWriter<R>>> make_fhir_writer(std::ostream& out, FhirOptions options);

/// All records as one Bundle (JSON text).
template <class R>
MYNA_CORE_API Result<std::string> to_fhir_bundle(const std::vector<R>& records, const FhirOptions& options);

extern template Result<std::unique_ptr<RecordWriter<DrugRecord>>> make_fhir_writer<DrugRecord>(std::ostream&,
                                                                                               FhirOptions);
extern template Result<std::unique_ptr<RecordWriter<CheckupRecord>>> make_fhir_writer<CheckupRecord>(std::ostream&,
                                                                                                     FhirOptions);
extern template Result<std::unique_ptr<RecordWriter<MedicalExpenseRecord>>> make_fhir_writer<MedicalExpenseRecord>(
    std::ostream&, FhirOptions);
extern template Result<std::string> to_fhir_bundle<DrugRecord>(const std::vector<DrugRecord>&, const FhirOptions&);
extern template Result<std::string> to_fhir_bundle<CheckupRecord>(const std::vector<CheckupRecord>&,
                                                                  const FhirOptions&);
extern template Result<std::string> to_fhir_bundle<MedicalExpenseRecord>(const std::vector<MedicalExpenseRecord>&,
                                                                         const FhirOptions&);

/// Which JP Core Observation profile a 特定健診 item maps to (for items 18–143).
enum class ObservationProfile : std::uint8_t {
  body_measurement,  ///< JP_Observation_BodyMeasurement: units of length, mass, area, BMI
  vital_signs,       ///< JP_Observation_VitalSigns: blood pressure (mm[Hg])
  lab_result,        ///< JP_Observation_LabResult: items with a JLAC10 code (specimen from it)
  common,            ///< JP_Observation_Common: findings, judgements, questionnaire answers
};

/// The profile of a checkup catalog item (derived from its unit, code and group).
MYNA_CORE_API ObservationProfile observation_profile(const FieldInfo& field) noexcept;
/// Canonical URL of the profile, e.g. "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Observation_LabResult".
MYNA_CORE_API const char* profile_url(ObservationProfile profile) noexcept;
/// JLAC10 材料コード (3 digits, e.g. "023" 血清) of a laboratory item's code; "" if none.
MYNA_CORE_API std::string_view specimen_material(const FieldInfo& field) noexcept;

}  // namespace myna
