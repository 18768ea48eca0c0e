#include "myna/export/fhir.hpp"

#include <sstream>

#include "export/fhir_mappers.hpp"

namespace myna {
namespace {

using internal::Bundle;
using internal::PatientBuilder;

template <class R>
class FhirWriter final : public RecordWriter<R> {
 public:
  FhirWriter(std::ostream& out, const FhirOptions& options)
      : bundle_(out, options), patient_url_(bundle_.full_url("patient")) {}

  Status write(const R& record) override {
    mapper_.identify(patient_, record);
    return mapper_.add(bundle_, patient_url_, record);
  }
  Status finish() override {
    if (Status st = bundle_.add(patient_url_, patient_.build(patient_url_, bundle_.options())); !st) return st;
    return bundle_.finish();
  }

 private:
  Bundle bundle_;
  PatientBuilder patient_;
  typename internal::MapperOf<R>::type mapper_;
  std::string patient_url_;
};

bool is_body_measurement_unit(std::string_view unit) {
  return unit == "cm" || unit == "kg" || unit == "kg/m2" || unit == "cm2";
}

/// JLAC10 codes (17 characters, analyte class 1–8) name laboratory tests; 9… are the
/// 特定健診 items outside JLAC10 (measurements, findings, questionnaire).
bool is_jlac10(std::string_view code) { return code.size() == 17 && code[0] >= '1' && code[0] <= '8'; }

}  // namespace

ObservationProfile observation_profile(const FieldInfo& field) noexcept {
  if (field.unit == "mm[Hg]") return ObservationProfile::vital_signs;
  if (is_body_measurement_unit(field.unit)) return ObservationProfile::body_measurement;
  if (is_jlac10(field.observation_code)) return ObservationProfile::lab_result;
  return ObservationProfile::common;
}

const char* profile_url(ObservationProfile profile) noexcept {
  switch (profile) {
    case ObservationProfile::body_measurement:
      return "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Observation_BodyMeasurement";
    case ObservationProfile::vital_signs:
      return "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Observation_VitalSigns";
    case ObservationProfile::lab_result:
      return "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Observation_LabResult";
    case ObservationProfile::common: break;
  }
  return "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Observation_Common";
}

std::string_view specimen_material(const FieldInfo& field) noexcept {
  if (!is_jlac10(field.observation_code)) return {};
  return field.observation_code.substr(9, 3);  // analyte(5) identification(4) material(3) …
}

template <class R>
Result<std::unique_ptr<RecordWriter<R>>> make_fhir_writer(std::ostream& out, FhirOptions options) {
  if (options.patient_id.empty())
    return Error(ErrorCategory::validation,
                 "FHIR export: set FhirOptions::patient_id (the citizen's id in your application)");
  return std::unique_ptr<RecordWriter<R>>(std::make_unique<FhirWriter<R>>(out, options));
}

template <class R>
Result<std::string> to_fhir_bundle(const std::vector<R>& records, const FhirOptions& options) {
  std::ostringstream out;
  auto writer = make_fhir_writer<R>(out, options);
  if (!writer) return std::move(writer).error();
  if (Status st = write_all(**writer, records); !st) return std::move(st).error();
  return out.str();
}

#define MYNA_FHIR_INSTANTIATE(R)                                                                     \
  template Result<std::unique_ptr<RecordWriter<R>>> make_fhir_writer<R>(std::ostream&, FhirOptions); \
  template Result<std::string> to_fhir_bundle<R>(const std::vector<R>&, const FhirOptions&);

MYNA_FHIR_INSTANTIATE(DrugRecord)
MYNA_FHIR_INSTANTIATE(CheckupRecord)
MYNA_FHIR_INSTANTIATE(MedicalExpenseRecord)
#undef MYNA_FHIR_INSTANTIATE

}  // namespace myna
