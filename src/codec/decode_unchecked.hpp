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

/// The reference decoder (tests and fuzzing): the payload read by RapidJSON's streaming reader
/// from its start, as the SDK did before its payload scanner; same checks as decode_result.
template <class R>
Result<ResultTelegram<R>> decode_result_reference(std::string_view body, const Profile& profile,
                                                  const DecodeOptions& options);

}  // namespace myna::internal
