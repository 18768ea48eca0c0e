#include "export/fhir_bundle.hpp"

#include <chrono>
#include <ostream>
#include <random>

#include "export/stream_status.hpp"
#include "internal/civil_date.hpp"
#include "internal/sha1.hpp"

namespace myna::internal {
namespace {

constexpr const char* kDataAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
constexpr const char* kNameRepresentation = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

// A per-export seed, so that identifiers of two exports never meet; it need not be secret.
std::string random_seed() {
  unsigned char bytes[16];
  try {
    std::random_device device;
    for (std::size_t i = 0; i < sizeof bytes; i += 4) {
      const unsigned int r = device();
      for (std::size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<unsigned char>(r >> (8 * j));
    }
  } catch (const std::exception&) {  // no entropy source: fall back to the clock
    auto t = std::chrono::steady_clock::now().time_since_epoch().count();
    for (std::size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<unsigned char>(t >> (i % 8 * 8));
  }
  return hex(bytes, sizeof bytes);
}

/// A name-based UUID (version 5 layout, SHA-1 of seed and key).
std::string name_uuid(const std::string& seed, std::string_view key) {
  std::string data = seed + '\n' + std::string(key);
  Sha1Digest digest = sha1(data);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  std::string h = hex(digest.data(), 16);
  return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' + h.substr(20, 12);
}

std::string now_instant() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return internal::utc_instant_text(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

/// Splits "山田 太郎" (ASCII or ideographic space) into family and given names.
std::pair<std::string, std::string> split_name(std::string_view full) {
  std::size_t ascii = full.find(' '), wide = full.find("\xE3\x80\x80");
  std::size_t at = std::min(ascii, wide);
  if (at == std::string_view::npos) return {};
  std::size_t skip = at == ascii ? 1 : 3;
  return {std::string(full.substr(0, at)), std::string(full.substr(at + skip))};
}

Json human_name(const Text& text, const char* representation, const char* use) {
  Json name = Json::object();
  name.set("extension",
           Json::array().push(Json::object().set("url", kNameRepresentation).set("valueCode", representation)));
  name.set("use", use).set("text", text.view());
  auto [family, given] = split_name(text.view());
  if (!family.empty()) name.set("family", family);
  if (!given.empty()) name.set("given", Json::array().push(given));
  return name;
}

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

/// 保険者番号(8 digits; 6-digit 国保 numbers get "00" in front):記号:番号:枝番, or "" when a
/// part is missing or holds a character the identifier cannot carry.
std::string member_id(const CodeString& insurer, const Text& symbol, const Text& number, const CodeString& branch) {
  if (!insurer.has_value() || !symbol.has_value() || !number.has_value() || !branch.has_value()) return {};
  for (std::string_view part : {symbol.view(), number.view()})
    if (part.empty() || part.find_first_of(": \t") != std::string_view::npos ||
        part.find("\xE3\x80\x80") != std::string_view::npos)
      return {};
  std::string code = insurer.str().size() == 6 ? "00" + insurer.str() : insurer.str();
  return code + ':' + symbol.str() + ':' + number.str() + ':' + branch.str();
}

}  // namespace

// ---------------------------------------------------------------- elements

Json coding(std::string_view system, std::string_view code, std::string_view display) {
  Json c = Json::object();
  if (!system.empty()) c.set("system", system);
  c.set("code", code);
  if (!display.empty()) c.set("display", display);
  return c;
}

Json codeable(Json coding, std::string_view text) {
  Json c = Json::object();
  c.set("coding", Json::array().push(std::move(coding)));
  if (!text.empty()) c.set("text", text);
  return c;
}

Json text_concept(std::string_view text) { return Json::object().set("text", text); }

Json reference(const std::string& full_url) { return Json::object().set("reference", full_url); }

Json absent_element(const char* code) {
  return Json::object().set("extension",
                            Json::array().push(Json::object().set("url", kDataAbsentReason).set("valueCode", code)));
}

Json unparsed_element(ConstFieldRef ref) {
  return Json::object().set(
      "extension", Json::array()
                       .push(Json::object().set("url", kDataAbsentReason).set("valueCode", "error"))
                       .push(Json::object().set("url", kReceivedTextUrl).set("valueString", export_text(ref))));
}

void add_extension(Json& resource, Json extension) {
  if (Json* list = resource.find("extension"))
    list->push(std::move(extension));
  else
    resource.set("extension", Json::array().push(std::move(extension)));
}

Json issue_extension(const Issue& issue) {
  Json parts = Json::array().push(
      Json::object().set("url", "item").set("valueInteger", Json::number(std::to_string(issue.item_number))));
  if (!issue.item_name.empty()) parts.push(Json::object().set("url", "name").set("valueString", issue.item_name));
  parts.push(Json::object().set("url", "kind").set("valueCode", to_string(issue.kind)));
  return Json::object().set("url", kIssueUrl).set("extension", std::move(parts));
}

Json received_item_extension(int item, std::string_view name, std::string text) {
  Json parts =
      Json::array().push(Json::object().set("url", "item").set("valueInteger", Json::number(std::to_string(item))));
  if (!name.empty()) parts.push(Json::object().set("url", "name").set("valueString", name));
  if (!text.empty()) parts.push(Json::object().set("url", "text").set("valueString", std::move(text)));
  return Json::object().set("url", kReceivedItemUrl).set("extension", std::move(parts));
}

Json extra_item_extension(const ExtraItem& extra) {
  return received_item_extension(extra.item_number, extra.key.view(), extra.text.str());
}

void add_issues(Json& resource, const Issues& issues, const std::function<bool(int)>& select) {
  for (const Issue& issue : issues)
    if (!select || select(issue.item_number)) add_extension(resource, issue_extension(issue));
}

void add_record_extensions(Json& resource, const Issues& issues) {
  add_issues(resource, issues);
  for (const ExtraItem* e = issues.extra_begin(); e != issues.extra_end(); ++e)
    add_extension(resource, extra_item_extension(*e));
}

Json new_resource(const char* type, const std::string& full_url, std::string_view jp_core_profile) {
  Json r = Json::object();
  r.set("resourceType", type).set("id", full_url.substr(std::string_view("urn:uuid:").size()));
  if (!jp_core_profile.empty()) {
    std::string url = std::string(kJpCore) + std::string(jp_core_profile);
    r.set("meta", Json::object().set("profile", Json::array().push(std::move(url))));
  }
  return r;
}

Json coded_concept(const Coded& value) {
  // The meaning goes to text only: the SDK's meanings follow the questionnaire's wording,
  // which may differ from the CodeSystem's display.
  // A code the record's period does not list (or lists in no public CodeSystem) has no
  // system to claim: it is kept as text (the code as received; its issue says why).
  CodeLookup found = value.lookup();
  if (!found.known || found.system.empty()) return text_concept(value.code());
  return codeable(coding(found.system, value.code()), found.meaning);
}

void set_date(Json& resource, const char* key, const Date& date, bool required) {
  if (date.has_value())
    resource.set(key, date.to_string());
  else if (date.unparsed_text())
    resource.set(std::string("_") + key, unparsed_element({ValueKind::date, &date}));
  else if (required)
    resource.set(std::string("_") + key, absent_element());
}

// ---------------------------------------------------------------- Bundle

Bundle::Bundle(std::ostream& out, const FhirOptions& options)
    : out_(out),
      options_(options),
      seed_(options.id_seed.empty() ? random_seed() : options.id_seed),
      created_(options.created.empty() ? now_instant() : options.created),
      indent_(options.pretty ? 2 : -1) {}

std::string Bundle::full_url(std::string_view key) const { return "urn:uuid:" + name_uuid(seed_, key); }

void Bundle::start() {
  if (started_) return;
  started_ = true;
  std::string head = "{";
  auto member = [&](const char* key, const std::string& value) {
    newline(head, indent_, 1);
    Json(key).write(head);
    head += indent_ < 0 ? ":" : ": ";
    Json(value).write(head);
    head += ',';
  };
  member("resourceType", "Bundle");
  member("id", full_url("bundle").substr(9));
  member("type", "collection");
  member("timestamp", created_);
  newline(head, indent_, 1);
  head += indent_ < 0 ? "\"entry\":[" : "\"entry\": [";
  out_ << head;
}

Status Bundle::add(const std::string& full_url, Json resource) {
  start();
  Json entry = Json::object();
  entry.set("fullUrl", full_url);
  entry.set("resource", std::move(resource));
  std::string text = any_entry_ ? "," : "";
  any_entry_ = true;
  newline(text, indent_, 2);
  entry.write(text, indent_, 2);
  out_ << text;
  return internal::check_stream(out_, "a FHIR Bundle entry");
}

Status Bundle::finish() {
  start();
  std::string tail;
  if (any_entry_) newline(tail, indent_, 1);
  tail += ']';
  newline(tail, indent_, 0);
  tail += "}\n";
  out_ << tail;
  out_.flush();
  return internal::check_stream(out_, "the FHIR Bundle");
}

// ---------------------------------------------------------------- Patient

void PatientBuilder::name(const Text& kanji, const Text& kana, bool other) {
  Text& n = other ? name_other_ : name_;
  Text& k = other ? kana_other_ : kana_;
  if (!n.has_value() && kanji.has_value() && !is_blank(kanji.view())) n = kanji;
  if (!k.has_value() && kana.has_value() && !is_blank(kana.view())) k = kana;
}

void PatientBuilder::birth_date(Date date) {
  if (birth_date_.is_absent()) birth_date_ = std::move(date);
}

void PatientBuilder::sex(const Coded& sex) {
  if (sex_.empty() && sex.has_value()) sex_ = std::string(sex.code());
}

void PatientBuilder::insurance(const CodeString& insurer, const Text& symbol, const Text& number,
                               const CodeString& branch) {
  if (member_id_.empty()) member_id_ = member_id(insurer, symbol, number, branch);
}

Json PatientBuilder::build(const std::string& full_url, const FhirOptions& options) const {
  Json patient = new_resource("Patient", full_url, "JP_Patient");
  Json ids = Json::array();
  ids.push(Json::object().set("system", options.local_system_base + "citizen").set("value", options.patient_id));
  if (!member_id_.empty())
    ids.push(Json::object().set("system", fhir_system::kInsuranceMember).set("value", member_id_));
  patient.set("identifier", std::move(ids));
  Json names = Json::array();
  if (name_.has_value()) names.push(human_name(name_, "IDE", "official"));
  if (kana_.has_value()) names.push(human_name(kana_, "SYL", "official"));
  if (name_other_.has_value()) names.push(human_name(name_other_, "IDE", "usual"));
  if (kana_other_.has_value()) names.push(human_name(kana_other_, "SYL", "usual"));
  if (!names.empty()) patient.set("name", std::move(names));
  if (sex_ == "1")
    patient.set("gender", "male");
  else if (sex_ == "2")
    patient.set("gender", "female");
  set_date(patient, "birthDate", birth_date_, false);
  return patient;
}

// ---------------------------------------------------------------- Organization

Result<std::string> Organizations::get(Bundle& bundle, const CodeString& code, const Text& name) {
  bool has_name = name.has_value() && !is_blank(name.view());
  if (!code.has_value() && !has_name) return std::string();
  std::string key = code.has_value() ? "code:" + code.str() : "name:" + name.str();
  if (auto it = urls_.find(key); it != urls_.end()) return it->second;
  std::string url = bundle.full_url("org/" + key);
  Json org = new_resource("Organization", url, "JP_Organization");
  if (code.has_value())
    org.set("identifier",
            Json::array().push(Json::object().set("system", fhir_system::kInstitutionNo).set("value", code.str())));
  if (has_name) org.set("name", name.view());
  if (Status st = bundle.add(url, std::move(org)); !st) return std::move(st).error();
  urls_.emplace(std::move(key), url);
  return url;
}

}  // namespace myna::internal
