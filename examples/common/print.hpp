// Printing records readably with their Japanese item names (shared by the examples).
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include "myna/records.hpp"

namespace example {

/// Every present item of one record: "  項番 項目名: value".
template <class R>
void print_record(const R& record, std::ostream& os = std::cout) {
  for (const myna::FieldInfo& f : myna::catalog<R>()) {
    myna::ConstFieldRef ref = f.of(record);
    if (!myna::present(ref)) continue;
    os << "  " << (f.number < 10 ? "  " : f.number < 100 ? " " : "") << f.number << " " << f.ja << ": "
       << myna::to_display_text(ref);
    if (!f.unit.empty()) os << " " << f.unit;
    os << "\n";
  }
}

inline std::string summary(const myna::DrugRecord& r) {
  return r.dispensing_date.to_string() + "  " + r.drug_name.str() + "  " + r.quantity.to_string() + r.unit.str() +
         " × " + r.times.to_string() + "  (" + r.institution_name.str() + ")";
}
inline std::string summary(const myna::CheckupRecord& r) {
  return r.visit.checkup_date.to_string() + "  " + r.visit.institution_name.str() + "  BMI " + r.basic.bmi.to_string() +
         "  メタボ判定 " + std::string(r.basic.metabolic_syndrome.meaning());
}
inline std::string summary(const myna::MedicalExpenseRecord& r) {
  return r.treatment_month.to_string() + "  " + r.institution_name.str() + "  窓口負担相当額 " + r.copayment.to_string() + "円";
}

/// The first record in full, then one line per record.
template <class R>
void print_records(const std::vector<R>& records, std::size_t max_lines = 8, std::ostream& os = std::cout) {
  os << "== " << myna::japanese_name(myna::RecordTraits<R>::type) << ": " << records.size() << " records\n";
  if (records.empty()) return;
  os << "-- record #0, all items it carries:\n";
  print_record(records.front(), os);
  os << "-- all records:\n";
  for (std::size_t i = 0; i < records.size() && i < max_lines; ++i) os << "  #" << i << "  " << summary(records[i]) << "\n";
  if (records.size() > max_lines) os << "  ... and " << records.size() - max_lines << " more\n";
}

}  // namespace example
