// The result decoders without the service-error check (internal): for the client, which reads
// the commonHeader's error code itself (a not-ready result is retried, not an error). Exported
// from a shared core for the client library only (MYNA_CORE_INTERNAL_API).
#pragma once

#include "myna/codec/payload.hpp"

namespace myna::internal {

template <class R>
MYNA_CORE_INTERNAL_API Result<ResultTelegram<R>> decode_result_unchecked(std::string_view body, const Profile& profile,
                                                                         const DecodeOptions& options);
template <class R>
MYNA_CORE_INTERNAL_API Status decode_result_unchecked(ByteSource& body, const Profile& profile,
                                                      const DecodeOptions& options, const RecordCallback<R>& on_record,
                                                      CommonHeader& header);

}  // namespace myna::internal
