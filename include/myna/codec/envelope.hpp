// Envelope codec: the commonHeader and the telegrams of docs/wire-format.md. The telegram
// structs are plain data; the codec functions keep no state and are safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "myna/core_export.hpp"
#include "myna/error.hpp"
#include "myna/profile.hpp"

namespace myna {

/// commonHeader, carried by every telegram.
struct CommonHeader {
  std::string telegram_id;    ///< telegramId: "TL-" + provider number + "-" + YYMMDDhhmmss + "-" + 4 digits
  std::string telegram_type;  ///< telegramType, e.g. "IFA0301-R01"
  std::string mode;           ///< mode
  std::string process_id;     ///< processId issued by the service ("" in a request)
  std::string error_code;     ///< errorCode ("" = success in the default profile)

  friend bool operator==(const CommonHeader& a, const CommonHeader& b) {
    return a.telegram_id == b.telegram_id && a.telegram_type == b.telegram_type && a.mode == b.mode &&
           a.process_id == b.process_id && a.error_code == b.error_code;
  }
};

/// Request telegram (provider → service): the header and the 照会年月日 filter.
struct RequestTelegram {
  CommonHeader header;
  std::string inquiry_condition;  ///< selfProvisionDataReqInfo.inquiryCondition
};

namespace codec {

/// {"commonHeader":{...},"selfProvisionDataReqInfo":{"inquiryCondition":"..."}}
MYNA_CORE_API std::string encode_request(const RequestTelegram& telegram);
MYNA_CORE_API Result<RequestTelegram> decode_request(std::string_view body, const Profile& profile);

/// {"commonHeader":{...}}: request response, completion notification, notification reply,
/// result request (and a result response that carries only an error code).
MYNA_CORE_API std::string encode_header(const CommonHeader& header);
/// Decodes a header-only telegram; other top-level members are ignored.
MYNA_CORE_API Result<CommonHeader> decode_header(std::string_view body, const Profile& profile);

/// Maps a non-success errorCode to a typed error (Status ok when the code means success).
MYNA_CORE_API Status check_service_error(const CommonHeader& header, const Profile& profile);

}  // namespace codec
}  // namespace myna
