// One mapper per record type: turns records into FHIR resources written into a Bundle, and
// feeds the citizen's identity items into the Patient.
#pragma once

#include <map>
#include <string>

#include "export/fhir_bundle.hpp"

namespace myna::internal {

/// 薬剤情報 → JP_MedicationDispense (+ the dispensing JP_Organization).
class DrugMapper {
 public:
  void identify(PatientBuilder& patient, const DrugRecord& r) const;
  Status add(Bundle& bundle, const std::string& patient, const DrugRecord& r);

 private:
  Json dispense(const DrugRecord& r, const std::string& url, const std::string& patient, const std::string& pharmacy,
                const std::string& unit_system);
  Organizations organizations_;
  std::map<std::string, int> drugs_per_rp_;  // order within each prescription group (RP)
  std::size_t count_ = 0;
};

/// 特定健診情報 → one Observation per item with a value (+ JP_Organization, Specimens).
class CheckupMapper {
 public:
  void identify(PatientBuilder& patient, const CheckupRecord& r) const;
  Status add(Bundle& bundle, const std::string& patient, const CheckupRecord& r);

 private:
  Result<std::string> specimen(Bundle& bundle, const std::string& patient, const CheckupRecord& r,
                               std::string_view material);
  Organizations organizations_;
  std::map<std::string, std::string> specimens_;  // of the current record, by material
  std::size_t count_ = 0;
};

/// 医療費通知情報 → ExplanationOfBenefit (+ JP_Coverage and the insurer / provider Organizations).
class ExpenseMapper {
 public:
  void identify(PatientBuilder& patient, const MedicalExpenseRecord& r) const;
  Status add(Bundle& bundle, const std::string& patient, const MedicalExpenseRecord& r);

 private:
  Result<std::string> coverage(Bundle& bundle, const std::string& patient, const std::string& insurer,
                               const Text& insurer_name);
  Organizations organizations_;
  std::map<std::string, std::string> coverages_;
  std::size_t count_ = 0;
};

template <class R>
struct MapperOf;
template <>
struct MapperOf<DrugRecord> {
  using type = DrugMapper;
};
template <>
struct MapperOf<CheckupRecord> {
  using type = CheckupMapper;
};
template <>
struct MapperOf<MedicalExpenseRecord> {
  using type = ExpenseMapper;
};

}  // namespace myna::internal
