// 医療費通知情報 → base R4 ExplanationOfBenefit (JP Core has no profile for it): the 診療年月 as
// billablePeriod, the 窓口負担相当額 as total (adjudication "copay", JPY), the insurer and the
// institution as Organizations, the ユニークコード as identifier, and a JP_Coverage per insurer.
#include "export/fhir_mappers.hpp"

namespace myna::internal {
namespace {

using E = MedicalExpenseRecord;

constexpr const char* kAdjudication = "http://terminology.hl7.org/CodeSystem/adjudication";

Json reference_or_absent(const std::string& url) { return url.empty() ? absent_element() : reference(url); }

Json billable_period(const YearMonth& month) {
  if (!month.has_value())  // unparsed: the Period carries the received text
    return Json::object().set(
        "extension", Json::array().push(Json::object()
                                            .set("url", kReceivedTextUrl)
                                            .set("valueString", export_text({ValueKind::year_month, &month}))));
  return Json::object().set("start", month.first_day().to_string()).set("end", month.last_day().to_string());
}

Json copay_amount(const Yen& yen) {
  Json amount = Json::object();
  if (yen.has_value())
    amount.set("value", Json::number(yen.to_string()));  // negative in corrections
  else
    amount.set("_value", unparsed_element({ValueKind::yen, &yen}));
  return amount.set("currency", "JPY");
}

Json copayment(const Yen& yen) {
  return Json::array().push(Json::object()
                                .set("category", codeable(coding(kAdjudication, "copay", "CoPay"), "窓口負担相当額"))
                                .set("amount", copay_amount(yen)));
}

}  // namespace

void ExpenseMapper::identify(PatientBuilder& patient, const E& r) const { patient.name(r.patient_name, Text(), false); }

Result<std::string> ExpenseMapper::coverage(Bundle& bundle, const std::string& patient, const std::string& insurer,
                                            const Text& insurer_name) {
  const std::string key = insurer_name.has_value() ? insurer_name.str() : std::string();
  if (auto it = coverages_.find(key); it != coverages_.end()) return it->second;
  std::string url = bundle.full_url("coverage/" + key);
  Json c = new_resource("Coverage", url, "JP_Coverage");
  c.set("status", "active");
  c.set("beneficiary", reference(patient));
  c.set("payor", Json::array().push(reference_or_absent(insurer)));
  if (Status st = bundle.add(url, std::move(c)); !st) return std::move(st).error();
  coverages_.emplace(key, url);
  return url;
}

Status ExpenseMapper::add(Bundle& bundle, const std::string& patient, const E& r) {
  auto insurer = organizations_.get(bundle, CodeString(), r.insurer_name);
  if (!insurer) return std::move(insurer).error();
  auto provider = organizations_.get(bundle, CodeString(), r.institution_name);
  if (!provider) return std::move(provider).error();
  auto cover = coverage(bundle, patient, *insurer, r.insurer_name);
  if (!cover) return std::move(cover).error();

  std::string url = bundle.full_url("eob/" + std::to_string(count_++));
  Json eob = new_resource("ExplanationOfBenefit", url, "");
  if (r.unique_code.has_value() && !r.unique_code.empty())
    eob.set("identifier", Json::array().push(Json::object()
                                                 .set("system", bundle.options().local_system_base + "unique-code")
                                                 .set("value", r.unique_code.view())));
  eob.set("status", "active");
  eob.set("type", text_concept("医療費通知"));
  eob.set("use", "claim");
  eob.set("patient", reference(patient));
  if (present(ConstFieldRef{ValueKind::year_month, &r.treatment_month}))
    eob.set("billablePeriod", billable_period(r.treatment_month));
  eob.set("created", bundle.created());
  eob.set("insurer", reference_or_absent(*insurer));
  eob.set("provider", reference_or_absent(*provider));
  eob.set("outcome", "complete");
  Json insurance = Json::object().set("focal", Json::boolean(true)).set("coverage", reference(*cover));
  eob.set("insurance", Json::array().push(std::move(insurance)));
  if (present(ConstFieldRef{ValueKind::yen, &r.copayment})) eob.set("total", copayment(r.copayment));
  add_record_extensions(eob, r.issues);
  for (const FieldInfo& f : catalog<E>())  // e.g. a name received as a JSON number
    if (auto text = unparsed_text(f.of(r)); text && !has_value(f.of(r)))
      add_extension(eob, received_item_extension(f.number, f.ja, export_text(f.of(r))));
  return bundle.add(url, std::move(eob));
}

}  // namespace myna::internal
