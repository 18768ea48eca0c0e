// The ground truth of the issues a generated record's coded answers give when decoded: the
// code tables read in the record's period (the SDK's code_period and CodeSet::lookup).
#include <type_traits>

#include "myna/sandbox/generator.hpp"

namespace myna::sandbox {
namespace {

template <class R>
CodePeriod record_period(const R& record) noexcept {
  if constexpr (std::is_same_v<R, CheckupRecord>)
    return code_period(record.visit.checkup_date);
  else
    return CodePeriod::unknown;
}

}  // namespace

template <class R>
std::vector<Issue> code_issues(const R& record) {
  const CodePeriod period = record_period(record);
  std::vector<Issue> out;
  for (const FieldInfo& f : catalog<R>()) {
    if (f.kind != ValueKind::coded) continue;
    const auto* answer = static_cast<const Coded*>(f.of(record).ptr);
    if (!answer->has_value()) continue;
    const CodeSet& set = code_set(answer->set());
    const CodeLookup found = set.lookup(answer->code(), period);
    if (found.ambiguous)
      out.push_back(Issue{f.number, f.ja, IssueKind::ambiguous_code});
    else if (!found.known && set.unknown_code_issue)
      out.push_back(Issue{f.number, f.ja, IssueKind::unknown_code});
  }
  return out;
}

template std::vector<Issue> code_issues<DrugRecord>(const DrugRecord&);
template std::vector<Issue> code_issues<CheckupRecord>(const CheckupRecord&);
template std::vector<Issue> code_issues<MedicalExpenseRecord>(const MedicalExpenseRecord&);

}  // namespace myna::sandbox
