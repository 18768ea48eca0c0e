// Shared parts of the FHIR export: element helpers, the streamed Bundle, the Patient built
// from the records' identity items, and deduplicated Organizations.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>

#include "export/json_value.hpp"
#include "myna/export/fhir.hpp"

namespace myna::internal {

inline constexpr const char* kJpCore = "http://jpfhir.jp/fhir/core/StructureDefinition/";

// ---- elements
Json coding(std::string_view system, std::string_view code, std::string_view display = {});
Json codeable(Json coding, std::string_view text = {});
Json text_concept(std::string_view text);
Json reference(const std::string& full_url);
/// {"extension":[data-absent-reason = code]}: stands in for a required element whose item is absent.
Json absent_element(const char* code = "unknown");
/// The SDK's extensions (docs/export.md, "Values as received, and issues"): the text received
/// for a value its element cannot hold; an issue of the record; a value with no element.
inline constexpr const char* kReceivedTextUrl = "urn:mynaportal-sdk:fhir:received-text";
inline constexpr const char* kIssueUrl = "urn:mynaportal-sdk:fhir:issue";
inline constexpr const char* kReceivedItemUrl = "urn:mynaportal-sdk:fhir:received-item";
/// Stands in for the element of an unparsed value: data-absent-reason `error` and the
/// received-text extension (export_text: repaired to valid UTF-8).
Json unparsed_element(ConstFieldRef ref);
/// Adds an extension to resource.extension (creating the array).
void add_extension(Json& resource, Json extension);
/// The issue extension: item (number), name (Japanese item name, when the key is an item),
/// kind (to_string(IssueKind)). Never the value.
Json issue_extension(const Issue& issue);
/// The received-item extension: item, name and text of a value that has no element of its own
/// (an unparsed value, or an ExtraItem: key and text as received).
Json received_item_extension(int item, std::string_view name, std::string text);
Json extra_item_extension(const ExtraItem& extra);
/// Adds the issue extension of each issue whose item number `select` accepts (all by default).
void add_issues(Json& resource, const Issues& issues, const std::function<bool(int)>& select = {});
/// Adds the issues and the extra items of a record (the resource made from the whole record).
void add_record_extensions(Json& resource, const Issues& issues);
/// {"resourceType": type, "id": the UUID of full_url, "meta": {"profile": [JP Core profile]}}
/// (no meta when jp_core_profile is empty), e.g. new_resource("Patient", url, "JP_Patient").
Json new_resource(const char* type, const std::string& full_url, std::string_view jp_core_profile);
/// A coded answer as a CodeableConcept with its code set's system and meaning.
Json coded_concept(const Coded& value);
/// Sets key to a FHIR date (YYYY-MM-DD) or, when absent and required, `_key` with a
/// data-absent-reason extension.
/// An unparsed date sets `_key` with unparsed_element() whether required or not.
void set_date(Json& resource, const char* key, const Date& date, bool required);

// ---- the Bundle, written as resources arrive
class Bundle {
 public:
  Bundle(std::ostream& out, const FhirOptions& options);
  /// "urn:uuid:…", the same for the same key within one export (and across exports with the
  /// same id_seed).
  std::string full_url(std::string_view key) const;
  /// Writes an entry; `resource` gets its id from the full URL.
  Status add(const std::string& full_url, Json resource);
  Status finish();
  const FhirOptions& options() const noexcept { return options_; }
  const std::string& created() const noexcept { return created_; }

 private:
  void start();
  std::ostream& out_;
  FhirOptions options_;
  std::string seed_, created_;
  int indent_;
  bool started_ = false, any_entry_ = false;
};

// ---- the citizen
/// Collects the identity items of every record (first present value wins).
class PatientBuilder {
 public:
  void name(const Text& kanji, const Text& kana, bool other);
  void birth_date(Date date);
  void sex(const Coded& sex);
  void insurance(const CodeString& insurer, const Text& symbol, const Text& number, const CodeString& branch);
  Json build(const std::string& full_url, const FhirOptions& options) const;

 private:
  Text name_, kana_, name_other_, kana_other_;
  Date birth_date_;  // first present value; unparsed: `_birthDate` with the received text
  std::string sex_, member_id_;
};

// ---- organizations, one resource per distinct institution
class Organizations {
 public:
  /// The full URL of the Organization with this 医療機関コード and/or name, writing it into
  /// the bundle the first time; "" when both are absent.
  Result<std::string> get(Bundle& bundle, const CodeString& code, const Text& name);

 private:
  std::map<std::string, std::string> urls_;
};

}  // namespace myna::internal
