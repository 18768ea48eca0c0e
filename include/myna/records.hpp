// All record types, their catalogs and value types. Records are plain structs of values (see
// values.hpp for thread safety); the catalogs are constant tables, safe from any thread.
#pragma once

#include "myna/records/catalog.hpp"
#include "myna/records/checkup.hpp"
#include "myna/records/drug.hpp"
#include "myna/records/expense.hpp"
#include "myna/records/issues.hpp"
#include "myna/records/record_types.hpp"
#include "myna/records/values.hpp"

namespace myna {

/// Calls fn(type_tag) with a default-constructed record of the given type (DrugRecord{},
/// CheckupRecord{} or MedicalExpenseRecord{}) so generic code can dispatch on RecordType.
template <class Fn>
decltype(auto) visit_record_type(RecordType type, Fn&& fn) {
  switch (type) {
    case RecordType::checkup: return fn(CheckupRecord{});
    case RecordType::expense: return fn(MedicalExpenseRecord{});
    case RecordType::drug: break;
  }
  return fn(DrugRecord{});
}

}  // namespace myna
