#include "myna/profile.hpp"

namespace myna {

const std::string& Profile::payload_key(RecordType type) const noexcept {
  switch (type) {
    case RecordType::checkup: return checkup_key;
    case RecordType::expense: return expense_key;
    case RecordType::drug: break;
  }
  return drug_key;
}

std::vector<ServiceErrorCode> Profile::default_error_codes() {
  return {
      {"E0001", ErrorCategory::protocol, "電文の形式が不正です (malformed telegram)"},
      {"E0002", ErrorCategory::protocol, "処理IDが存在しません (unknown processId)"},
      {"E0003", ErrorCategory::auth, "アクセストークンが無効です (token invalid or expired)"},
      {"E0004", ErrorCategory::consent_required, "同意の有効期間が終了しました (grant ended)"},
      {"E0005", ErrorCategory::maintenance, "計画停止中です (maintenance)"},
      {"E0006", ErrorCategory::timeout, "処理中です (result not ready yet)"},
      {"E0007", ErrorCategory::consent_required, "利用者登録がありません (citizen not registered)"},
  };
}

std::vector<KeyAlias> Profile::default_key_aliases() {
  // The seed prints 表2.4-2 項番12 as "医療機関(薬局名称)"; accept that spelling too.
  return {{RecordType::drug, 12, "医療機関(薬局名称)"}};
}

}  // namespace myna
