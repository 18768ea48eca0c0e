#include "myna/profile.hpp"

#include <algorithm>

namespace myna {

const std::string& Profile::payload_key(RecordType type) const noexcept {
  switch (type) {
    case RecordType::checkup: return checkup_key;
    case RecordType::expense: return expense_key;
    case RecordType::drug: break;
  }
  return drug_key;
}

const std::string& Profile::scope_value(RecordType type) const noexcept {
  switch (type) {
    case RecordType::checkup: return checkup_scope;
    case RecordType::expense: return expense_scope;
    case RecordType::drug: break;
  }
  return drug_scope;
}

std::string Profile::scope_of(RecordTypes types) const {
  std::string out;
  for (RecordType type : kAllRecordTypes) {
    if (!types.contains(type)) continue;
    if (!out.empty()) out += consent_types_separator;
    out += scope_value(type);
  }
  return out;
}

std::optional<RecordTypes> Profile::parse_scope(std::string_view scope, bool ignore_unknown) const {
  const std::string_view separator =
      consent_types_separator.empty() ? std::string_view(" ") : std::string_view(consent_types_separator);
  RecordTypes types;
  while (!scope.empty()) {
    const std::size_t end = std::min(scope.find(separator), scope.size());
    const std::string_view word = scope.substr(0, end);
    scope.remove_prefix(std::min(scope.size(), end + separator.size()));
    if (word.empty()) continue;
    const RecordType* match = nullptr;
    for (const RecordType& type : kAllRecordTypes)
      if (word == scope_value(type)) match = &type;
    if (match)
      types.add(*match);
    else if (!ignore_unknown)
      return std::nullopt;
  }
  return types;
}

std::vector<ServiceErrorCode> Profile::default_error_codes() {
  return {
      {"E0001", ErrorCategory::protocol, "電文の形式が不正です (malformed telegram)"},
      {"E0002", ErrorCategory::protocol, "処理IDが存在しません (unknown processId)"},
      {"E0003", ErrorCategory::auth, "アクセストークンが無効です (token invalid or expired)"},
      {"E0004", ErrorCategory::consent_required, "同意の有効期間が終了しました (grant ended)"},
      {"E0005", ErrorCategory::maintenance, "計画停止中です (maintenance)"},
      {"E0006", ErrorCategory::timeout, "処理中です (result not ready yet)"},
      {"E0007", ErrorCategory::not_registered, "利用者登録がありません (citizen not registered)"},
      {"E0008", ErrorCategory::consent_required,
       "同意されていない情報種別です (the citizen did not consent to this information type)"},
  };
}

std::vector<KeyAlias> Profile::default_key_aliases() {
  // The seed prints 表2.4-2 項番12 as "医療機関(薬局名称)"; accept that spelling too.
  return {{RecordType::drug, 12, "医療機関(薬局名称)"}};
}

}  // namespace myna
