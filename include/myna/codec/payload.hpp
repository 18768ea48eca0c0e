// Payload codec: the records of a result telegram. The payload is a JSON document embedded
// as a string in selfPersonalDataProvisionInfo.selfPersonalData; its record keys are the
// guideline's Japanese item names. Decoding reads the payload where it lies (still escaped) into records, in
// one pass over the body, from a buffer or from a stream of chunks, on bounded memory (docs/performance.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "myna/codec/envelope.hpp"
#include "myna/core_export.hpp"
#include "myna/records.hpp"

namespace myna {

/// How the decoders treat a value that does not fit the SDK's value rules (docs/errors.md).
/// The JSON structure and the envelope are strict under both: malformed JSON, a truncated
/// body, wrong envelope types and the size/depth limits are decode errors.
enum class DecodePolicy : std::uint8_t {
  /// Default. A value never fails a record: it is kept as received (unparsed_text()) and
  /// noted in the record's `issues` (item number, item name, kind; never the value).
  lenient,
  /// Every issue but unknown_item is a typed `decode` error naming the record, the item
  /// number and the Japanese item name (the first issue of the record in document order).
  strict,
};

/// Options of the decoders.
struct DecodeOptions {
  DecodePolicy policy = DecodePolicy::lenient;
};

/// A result telegram decoded into records.
template <class R>
struct ResultTelegram {
  CommonHeader header;
  std::vector<R> records;
};

/// A body that arrives in chunks (from a socket, a file, a pipe). Read by one decoder on one
/// thread; an implementation that is fed from another thread synchronises itself.
class MYNA_CORE_API ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// The next chunk; an empty view means the body is complete. The view stays valid until
  /// the next call. An error stops decoding and is returned by the decoder.
  virtual Result<std::string_view> next() = 0;
};

/// Receives each record as soon as it is decoded; an error stops decoding.
template <class R>
using RecordCallback = std::function<Status(R&&)>;

/// Default name of the providing organisation written by the encoders.
inline constexpr std::string_view kDefaultProviderOrg = "社会保険診療報酬支払基金・国民健康保険中央会";

namespace codec {

/// Decodes a whole result telegram (envelope + embedded payload). A commonHeader that carries
/// a service error code is that typed error (check_service_error), with no records.
template <class R>
MYNA_CORE_API Result<ResultTelegram<R>> decode_result(std::string_view body, const Profile& profile,
                                                      const DecodeOptions& options = {});

/// Decodes a result telegram from chunks, handing records to on_record as they are decoded.
/// header receives the commonHeader. Records may be delivered before a later error: treat
/// the retrieval as complete only when this returns ok. A service error code in the
/// commonHeader is that typed error (no record is delivered once the header has said so).
template <class R>
MYNA_CORE_API Status decode_result(ByteSource& body, const Profile& profile, const DecodeOptions& options,
                                   const RecordCallback<R>& on_record, CommonHeader& header);
/// decode_result() with the default (lenient) options.
template <class R>
Status decode_result(ByteSource& body, const Profile& profile, const RecordCallback<R>& on_record,
                     CommonHeader& header) {
  return decode_result<R>(body, profile, DecodeOptions{}, on_record, header);
}

/// Decodes a bare payload document (the embedded JSON, already unescaped).
template <class R>
MYNA_CORE_API Result<std::vector<R>> decode_payload(std::string_view payload, const Profile& profile,
                                                    const DecodeOptions& options = {});

/// Encodes records as a payload document.
template <class R>
MYNA_CORE_API std::string encode_payload(const std::vector<R>& records, const Profile& profile,
                                         std::string_view provider_org = kDefaultProviderOrg);

/// Encodes a whole result telegram.
template <class R>
MYNA_CORE_API std::string encode_result(const CommonHeader& header, const std::vector<R>& records,
                                        const Profile& profile, std::string_view provider_org = kDefaultProviderOrg);

/// Incremental encoder of a result telegram, for bodies too large to hold (streaming):
/// begin() + add()... + finish() concatenated equal encode_result(). Not thread-safe: one
/// writer per telegram, used by one thread at a time.
template <class R>
class MYNA_CORE_API ResultWriter {
 public:
  ResultWriter(const Profile& profile, CommonHeader header, std::string_view provider_org = kDefaultProviderOrg);
  ~ResultWriter();
  ResultWriter(ResultWriter&&) noexcept;
  ResultWriter& operator=(ResultWriter&&) noexcept;

  void begin(std::string& out);                 ///< envelope up to the first record
  void add(const R& record, std::string& out);  ///< one record, escaped into the envelope
  void finish(std::string& out);                ///< closes the payload and the envelope

 private:
  struct MYNA_CORE_NO_EXPORT Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codec
}  // namespace myna
